//! By whom — 谁来做: our team.

use serde::Serialize;

use super::Dossier;
use crate::model::Named;
use crate::render::context::{name_of, s, texts};

/// The dossier's "by whom".
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ByWhomCx {
    /// Team members in plan order.
    pub(crate) team: Vec<MemberCx>,
}

/// A team member.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MemberCx {
    /// Id.
    pub(crate) id: Option<String>,
    /// Name.
    pub(crate) name: Option<String>,
    /// Their page, when they have one.
    pub(crate) href: Option<String>,
    /// Role.
    pub(crate) role: Option<&'static str>,
    /// Role, translated.
    pub(crate) role_label: Option<String>,
    /// Responsibilities.
    pub(crate) responsibilities: Vec<String>,
    /// What they may decide.
    pub(crate) authority: Option<String>,
    /// Number of actions they own.
    pub(crate) actions: usize,
}

impl Dossier<'_> {
    pub(super) fn by_whom(&self) -> ByWhomCx {
        let loc = self.b.locale;
        let team = self
            .plan
            .team
            .iter()
            .map(|m| MemberCx {
                id: m.id.as_ref().map(|i| i.to_string()),
                name: s(&m.name),
                href: m
                    .id
                    .as_ref()
                    .and_then(|i| self.b.person_href(self.a, i.as_str(), self.base)),
                role: m.role.as_ref().map(|r| r.value.as_str()),
                role_label: name_of(loc, m.role.as_ref().map(|r| r.value)),
                responsibilities: texts(&m.responsibilities),
                authority: s(&m.authority),
                actions: self
                    .plan
                    .actions
                    .iter()
                    .filter(|x| {
                        x.owner.as_ref().map(|o| &o.value) == m.id.as_ref().map(|i| &i.value)
                    })
                    .count(),
            })
            .collect();
        ByWhomCx { team }
    }
}
