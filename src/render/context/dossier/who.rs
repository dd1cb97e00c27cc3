//! Who — 对谁做: the stakeholders and how the customer decides.

use serde::Serialize;

use serde_json::Value;

use super::Dossier;
use crate::figures::last_contact;
use crate::model::Named;
use crate::render::context::{name_of, s};

/// The dossier's "who".
#[derive(Debug, Clone, Serialize)]
pub(crate) struct WhoCx {
    /// Stakeholders in plan order.
    pub(crate) stakeholders: Vec<StakeholderCx>,
    /// How the customer decides.
    pub(crate) decision: Option<DecisionCx>,
}

/// A stakeholder.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct StakeholderCx {
    /// Id.
    pub(crate) id: Option<String>,
    /// Name.
    pub(crate) name: Option<String>,
    /// Job title.
    pub(crate) title: Option<String>,
    /// Department.
    pub(crate) department: Option<String>,
    /// Buying role.
    pub(crate) role: Option<&'static str>,
    /// Buying role, translated.
    pub(crate) role_label: Option<String>,
    /// Attitude towards us.
    pub(crate) attitude: Option<&'static str>,
    /// Attitude, translated.
    pub(crate) attitude_label: Option<String>,
    /// Social style, translated.
    pub(crate) style_label: Option<String>,
    /// Date of the last visit they attended.
    pub(crate) last_contact: Option<String>,
    /// Days from the last contact to today.
    pub(crate) days_since: Option<i64>,
    /// Never contacted, or not within `[thresholds] contact_days`.
    pub(crate) contact_late: bool,
    /// Needs.
    pub(crate) needs: Vec<NeedCx>,
    /// Private notes as rows, only with `--include-private`.
    pub(crate) private: Option<Vec<PrivateRow>>,
}

/// A stakeholder's need.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct NeedCx {
    /// The need.
    pub(crate) need: Option<String>,
    /// Its kind, translated.
    pub(crate) kind_label: Option<String>,
    /// Said aloud (the default) or inferred.
    pub(crate) explicit: bool,
}

/// One `key: value` row of a private note.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PrivateRow {
    /// Key.
    pub(crate) key: String,
    /// Value as text (lists joined with `, `).
    pub(crate) value: String,
}

/// How the customer decides.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DecisionCx {
    /// Decision type, translated.
    pub(crate) type_label: Option<String>,
    /// Notes.
    pub(crate) notes: Option<String>,
}

impl Dossier<'_> {
    pub(super) fn who(&self) -> WhoCx {
        let loc = self.b.locale;
        let today = self.b.scope.today;
        let within = i64::from(self.b.scope.config.thresholds.contact_days);
        let stakeholders = self
            .plan
            .stakeholders
            .iter()
            .map(|st| {
                let contact = last_contact(st, &self.a.files.visits, today);
                StakeholderCx {
                    id: st.id.as_ref().map(|i| i.to_string()),
                    name: s(&st.name),
                    title: s(&st.title),
                    department: s(&st.department),
                    role: st.role.as_ref().map(|r| r.value.as_str()),
                    role_label: name_of(loc, st.role.as_ref().map(|r| r.value)),
                    attitude: st.attitude.as_ref().map(|r| r.value.as_str()),
                    attitude_label: name_of(loc, st.attitude.as_ref().map(|r| r.value)),
                    style_label: name_of(loc, st.style.as_ref().map(|r| r.value)),
                    last_contact: contact.map(|c| c.to_string()),
                    days_since: contact.map(|c| c.days_until(today)),
                    contact_late: contact.is_none_or(|c| c.days_until(today) > within),
                    needs: st
                        .needs
                        .iter()
                        .map(|n| NeedCx {
                            need: s(&n.need),
                            kind_label: name_of(loc, n.kind.as_ref().map(|k| k.value)),
                            explicit: n.explicit.as_ref().is_none_or(|e| e.value),
                        })
                        .collect(),
                    private: st
                        .private
                        .as_ref()
                        .filter(|_| self.b.include_private)
                        .map(|p| private_rows(&p.0)),
                }
            })
            .collect();
        WhoCx {
            stakeholders,
            decision: self.plan.decision.as_ref().map(|x| DecisionCx {
                type_label: name_of(loc, x.r#type.as_ref().map(|t| t.value)),
                notes: s(&x.notes),
            }),
        }
    }
}

/// A free-form private map as `key: value` rows.
fn private_rows(v: &Value) -> Vec<PrivateRow> {
    let Value::Object(map) = v else {
        return Vec::new();
    };
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    map.iter()
        .map(|(k, v)| PrivateRow {
            key: k.clone(),
            value: match v {
                Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(", "),
                other => text(other),
            },
        })
        .collect()
}
