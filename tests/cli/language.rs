//! One language end to end: `--lang`, else kaplan.toml's `language`, else
//! the locale chooses it, and `check` (human and JSON), `explain`, `diff`,
//! `init` and `new` speak it; rule names, JSON keys and enum values stay the
//! format's. The same fixture is snapshot in both languages.

use std::process::Command;

use serde_json::Value;

use crate::support::{Repo, kaplan};

/// A plan with a finding of most kinds, written as a Chinese team writes
/// it: Chinese titles, and site labels where enum values belong.
const PLAN: &str = "\
account:
  name: 华东移动通信
  owner: zhang-wei
  stage: 中期
period: { start: 2026-01-01, end: 2026-12-31 }
objectives:
  - id: grow-5g
    title: 在三个新省份拿下 5G 专网项目
    why: 客户政企部门因缺少电信级合作伙伴屡次丢标。
    metric: 签约收入
    unit: CNY
    target: 12000000
    actual: 7500000
    due: 2026-03-31
stakeholders:
  - id: li-ming
    name: 李明
    title: 首席技术官
    role: 决策者
    influence: 5
    attitude: 支持
    last_contact: 2026-02-20
  - id: wang-gang
    name: 王刚
    role: technical-buyer
    influence: 4
    last_contact: 2026-06-01
team:
  - id: zhang-wei
    name: 张伟
    role: account-manager
actions:
  - id: cto-workshop
    title: 与技术办公室联合举办路线图研讨会
    objectives: [grow-5g]
    owner: zhang-wei
    stakeholders: [li-ming]
    due: 2026-05-15
    status: in-progress
    where: 杭州
milestones:
  - id: budget-cycle
    title: 客户年度预算启动
    date: 2027-09-01
    where: 上海，客户总部
costs:
  - item: 免费试点部署
    category: pilot
    amount: 800000
returns:
  - item: A 省合同
    objective: grow-5g
    amount: 1000000
    probability: 0.6
review:
  last_reviewed: 2026-02-01
  by: zhang-wie
";

fn fixture() -> Repo {
    let repo = Repo::new();
    repo.write("accounts/east-mobile/plan.yaml", PLAN);
    repo
}

fn stdout(args: &[&str]) -> String {
    let out = kaplan(args);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn check(repo: &Repo, language: &str, format: &str) -> String {
    stdout(&[
        "check",
        repo.path().to_str().unwrap(),
        "--today",
        "2026-06-30",
        "--color",
        "never",
        "--format",
        format,
        "--lang",
        language,
    ])
}

#[test]
fn check_speaks_english() {
    let repo = fixture();
    insta::assert_snapshot!("check_human_en", check(&repo, "en", "human"));
    insta::assert_snapshot!("check_json_en", check(&repo, "en", "json"));
}

#[test]
fn check_speaks_chinese() {
    let repo = fixture();
    insta::assert_snapshot!("check_human_zh", check(&repo, "zh-CN", "human"));
    insta::assert_snapshot!("check_json_zh", check(&repo, "zh-CN", "json"));
}

/// JSON keys, rule names, levels and questions are the format's in both
/// languages; only `message` and `help` are translated.
#[test]
fn json_keeps_the_format_and_translates_the_prose() {
    let repo = fixture();
    let parse = |l| serde_json::from_str::<Vec<Value>>(&check(&repo, l, "json")).unwrap();
    let (en, zh) = (parse("en"), parse("zh-CN"));
    assert_eq!(en.len(), zh.len());
    for (e, z) in en.iter().zip(&zh) {
        for key in [
            "file", "line", "column", "rule", "level", "question", "account",
        ] {
            assert_eq!(e[key], z[key], "{key}");
        }
        assert_ne!(e["message"], z["message"]);
    }
}

/// A Chinese (or English) word for an enum value is answered with the value.
#[test]
fn a_word_for_a_value_gets_the_value() {
    let repo = fixture();
    let en = check(&repo, "en", "json");
    for hint in [
        "unknown stakeholder role `决策者`: expected one of `economic-buyer`, `technical-buyer`, `user-buyer`, `coach`, `gatekeeper`, `influencer` (did you mean `economic-buyer` (决策者)?)",
        "(did you mean `supporter` (支持者)?)",
        "unknown relationship stage `中期`",
        "(did you mean `cooperative` (中期)?)",
    ] {
        assert!(en.contains(hint), "{hint} in {en}");
    }
    let zh = check(&repo, "zh-CN", "json");
    for hint in [
        "未知的角色 `决策者`：可选值为 `economic-buyer`、`technical-buyer`",
        "（是不是要写 `economic-buyer`（决策者）？）",
        "（是不是要写 `supporter`（支持者）？）",
        "（是不是要写 `cooperative`（中期）？）",
    ] {
        assert!(zh.contains(hint), "{hint} in {zh}");
    }
}

#[test]
fn explain_speaks_both_languages() {
    insta::assert_snapshot!(
        "explain_en",
        stdout(&["explain", "cost-return/roi-below-threshold", "--lang", "en"])
    );
    insta::assert_snapshot!(
        "explain_zh",
        stdout(&[
            "explain",
            "cost-return/roi-below-threshold",
            "--lang",
            "zh-CN"
        ])
    );
    let list = stdout(&["explain", "--list", "--lang", "zh-CN"]);
    assert!(list.contains("who/no-coach") && list.contains("没有关键人物被标为内线教练"));
}

#[test]
fn diff_speaks_both_languages() {
    let repo = crate::diff::story();
    let root = repo.path().to_str().unwrap();
    for (language, name) in [("en", "en"), ("zh-CN", "zh")] {
        for format in ["human", "markdown"] {
            let out = stdout(&[
                "diff", "HEAD~4", "HEAD~1", "--root", root, "--format", format, "--lang", language,
            ]);
            insta::assert_snapshot!(format!("diff_{format}_{name}"), out);
        }
    }
}

/// `--lang` wins over kaplan.toml, kaplan.toml over the locale, and the
/// locale (`LC_ALL`, then `LC_MESSAGES`, then `LANG`) over English.
#[test]
fn the_language_is_chosen_once() {
    let repo = fixture();
    let root = repo.path().to_str().unwrap();
    let run = |toml: Option<&str>, lang: Option<&str>, env: &[(&str, &str)]| {
        match toml {
            Some(t) => repo.write("kaplan.toml", format!("language = \"{t}\"\n")),
            None => repo.write("kaplan.toml", ""),
        };
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_kaplan"));
        cmd.args(["check", root, "--today", "2026-06-30", "--format", "json"]);
        if let Some(l) = lang {
            cmd.args(["--lang", l]);
        }
        for k in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            cmd.env_remove(k);
        }
        cmd.envs(env.iter().copied());
        let out = cmd.output().unwrap();
        let d: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
        let message = d[0]["message"].as_str().unwrap().to_owned();
        if message
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) && !message.contains("unknown"))
        {
            "zh"
        } else {
            "en"
        }
    };
    assert_eq!(run(None, None, &[]), "en");
    assert_eq!(run(None, None, &[("LANG", "zh_CN.UTF-8")]), "zh");
    assert_eq!(
        run(
            None,
            None,
            &[("LC_MESSAGES", "zh_TW.UTF-8"), ("LANG", "en_US.UTF-8")]
        ),
        "zh"
    );
    assert_eq!(
        run(None, None, &[("LC_ALL", "C"), ("LANG", "zh_CN.UTF-8")]),
        "en"
    );
    assert_eq!(run(Some("en"), None, &[("LANG", "zh_CN.UTF-8")]), "en");
    assert_eq!(run(Some("zh-CN"), None, &[]), "zh");
    assert_eq!(run(Some("zh-CN"), Some("en"), &[]), "en");
    assert_eq!(run(Some("en"), Some("zh-CN"), &[]), "zh");
    // The site follows the same choice.
    repo.write("kaplan.toml", "language = \"en\"\n");
    let out = kaplan(&[
        "build",
        root,
        "--allow-errors",
        "--lang",
        "zh-CN",
        "--today",
        "2026-06-30",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let page = std::fs::read_to_string(repo.path().join("public/checklist/index.html")).unwrap();
    assert!(
        page.contains("lang=\"zh-CN\"") && page.contains("预期投资回报率为"),
        "{page}"
    );
    assert!(!page.contains("the expected ROI"), "{page}");
}

/// The checklist page and the dossier show messages as text: no Markdown
/// backticks, items named by their titles.
#[test]
fn pages_show_messages_without_backticks() {
    let repo = fixture();
    repo.write("kaplan.toml", "language = \"zh-CN\"\n");
    let root = repo.path().to_str().unwrap();
    let out = kaplan(&["build", root, "--allow-errors", "--today", "2026-06-30"]);
    assert_eq!(out.status.code(), Some(1));
    for page in [
        "public/checklist/index.html",
        "public/accounts/east-mobile/index.html",
    ] {
        let html = std::fs::read_to_string(repo.path().join(page)).unwrap();
        let messages: Vec<&str> = html
            .split("class=\"diag-message\">")
            .skip(1)
            .chain(html.split("<span class=\"diag-level\">").skip(1))
            .map(|s| s.split('<').next().unwrap_or_default())
            .collect();
        assert!(!messages.is_empty(), "{page}");
        for m in messages {
            assert!(!m.contains('`'), "{page}: {m}");
        }
        assert!(
            html.contains("行动“与技术办公室联合举办路线图研讨会”（cto-workshop）"),
            "{page}"
        );
    }
}

#[test]
fn init_and_new_write_chinese() {
    let repo = Repo::new();
    let dir = repo.path().join("plans");
    let dir_s = dir.to_str().unwrap();
    let out = kaplan(&["init", dir_s, "--lang", "zh-CN"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8(out.stdout).unwrap();
    assert!(
        printed.contains("已创建") && printed.contains("下一步"),
        "{printed}"
    );
    let toml = std::fs::read_to_string(dir.join("kaplan.toml")).unwrap();
    assert!(
        toml.contains("language = \"zh-CN\"") && toml.contains("站点配置"),
        "{toml}"
    );
    let plan = std::fs::read_to_string(dir.join("accounts/east-mobile/plan.yaml")).unwrap();
    assert!(
        plan.contains("东方移动通信") && plan.contains("为什么要做"),
        "{plan}"
    );
    let schema = std::fs::read_to_string(dir.join("plan.schema.json")).unwrap();
    assert!(schema.contains("决策者：掌握预算、最终拍板的人。"));
    // The Chinese sample is as clean as the English one.
    let out = kaplan(&["check", dir_s, "--format", "json"]);
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim(), "[]");
    // `new` in a zh-CN repository: the six questions in Chinese.
    let out = kaplan(&["new", "west-bank", "--name", "西岸银行", "--root", dir_s]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan = std::fs::read_to_string(dir.join("accounts/west-bank/plan.yaml")).unwrap();
    for q in [
        "1. 为什么要做（WHY）",
        "2. 对谁做（WHO）",
        "3. 谁来做（BY WHOM）",
        "4. 怎么做（HOW）",
        "5. 何时何地做（WHEN & WHERE）",
        "6. 多大投入、有多少产出（COST vs RETURN）",
        "西岸银行",
    ] {
        assert!(plan.contains(q), "{q} missing in\n{plan}");
    }
    let out = kaplan(&["check", dir_s, "--format", "json"]);
    let d: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        d.iter().any(|x| x["message"] == "缺少 `account.owner`"),
        "{d:#?}"
    );
}

#[test]
fn schema_speaks_both_languages() {
    let en: Value = serde_json::from_str(&stdout(&["schema", "--lang", "en"])).unwrap();
    let zh: Value = serde_json::from_str(&stdout(&["schema", "--lang", "zh-CN"])).unwrap();
    let role = |s: &Value| s["$defs"]["BuyerRole"]["oneOf"][0]["description"].clone();
    assert_eq!(role(&en), "Signs off the money: the decision maker.");
    assert_eq!(role(&zh), "决策者：掌握预算、最终拍板的人。");
    // The same schema otherwise: only descriptions differ.
    let strip = |s: &Value| s.to_string().split("\"description\"").count();
    assert_eq!(strip(&en), strip(&zh));
}
