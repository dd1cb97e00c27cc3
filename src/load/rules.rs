//! The rules of the plan file itself: syntax, fields, values and references.
//!
//! The loader reports most of them while it reads; validation (required
//! fields, ids, references, the declared tier), `kaplan.toml`'s `[rules]`
//! and the history (`plan/stale`) report the others. They are declared here,
//! below all of those stages.

use crate::diagnostic::declare_rules;

declare_rules! {
    question: Plan;

    /// `plan/syntax`: the YAML or front matter does not parse.
    SYNTAX {
        name: "plan/syntax",
        level: Error,
        summary: "the YAML or front matter does not parse"
            / "YAML 或前置元数据（front matter）无法解析",
    }

    /// `plan/unknown-field`: a key the format does not know.
    UNKNOWN_FIELD {
        name: "plan/unknown-field",
        level: Error,
        summary: "a key the format does not know"
            / "格式中没有这个字段",
    }

    /// `plan/invalid-value`: a value has the wrong type, is out of range, or is not allowed.
    INVALID_VALUE {
        name: "plan/invalid-value",
        level: Error,
        summary: "a value has the wrong type, is out of range, or is not allowed"
            / "值的类型不对、超出范围或不在允许的取值之内",
    }

    /// `plan/duplicate-id`: an id appears twice in one list.
    DUPLICATE_ID {
        name: "plan/duplicate-id",
        level: Error,
        summary: "an id appears twice in one list"
            / "同一列表中 id 重复",
    }

    /// `plan/dangling-reference`: an id reference points nowhere.
    DANGLING_REFERENCE {
        name: "plan/dangling-reference",
        level: Error,
        summary: "an id reference points nowhere"
            / "引用的 id 不存在",
    }

    /// `plan/missing-required`: a required field is missing.
    MISSING_REQUIRED {
        name: "plan/missing-required",
        level: Error,
        summary: "a required field is missing"
            / "缺少必填字段",
    }

    /// `plan/tier-mismatch`: the declared tier differs from the scorecard's tier.
    TIER_MISMATCH {
        name: "plan/tier-mismatch",
        level: Warning,
        summary: "the declared tier differs from the scorecard's tier"
            / "声明的客户等级与评分卡算出的等级不一致",
    }

    /// `plan/unknown-person`: `people.yaml` exists and a team id is not in it.
    UNKNOWN_PERSON {
        name: "plan/unknown-person",
        level: Warning,
        summary: "a team id is not a person of `people.yaml`"
            / "团队 id 不是 `people.yaml` 里的人员",
    }

    /// `plan/tier-over-quota`: more accounts of a tier than `[portfolio]` allows.
    TIER_OVER_QUOTA {
        name: "plan/tier-over-quota",
        level: Warning,
        summary: "more accounts of a tier than `[portfolio] max_platinum` / `max_gold` allow"
            / "某一等级的客户数超过了 `[portfolio] max_platinum` / `max_gold` 的上限",
    }

    /// `plan/stale`: the plan has not changed in git for longer than `stale_days`.
    STALE {
        name: "plan/stale",
        level: Warning,
        summary: "the plan has not been changed for longer than `stale_days`"
            / "计划超过 `stale_days` 天没有修改",
    }

    /// `plan/personal-data-in-text`: free text holds what looks like personal data.
    PERSONAL_DATA_IN_TEXT {
        name: "plan/personal-data-in-text",
        level: Warning,
        summary: "free text holds what looks like personal data (a phone number, an e-mail address, an ID number)"
            / "自由文本中有疑似个人信息（电话号码、电子邮件地址、身份证号码）",
    }
}
