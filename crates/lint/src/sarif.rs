//! SARIF 2.1.0 (the format GitHub code scanning reads) of a [`Report`]: one run whose
//! `tool.driver` lists the rules used, one result per finding with its level, message and
//! `physicalLocation` (the finding's file as `artifactLocation.uri`, `region` with
//! `startLine`/`startColumn` when known) and a `logicalLocation` naming the resource.

use serde::Serialize;

use crate::{rule, Finding, Report, Severity};

/// The SARIF log (serialize it with any serde JSON writer).
#[derive(Debug, Clone, Serialize)]
pub struct Log {
    #[serde(rename = "$schema")]
    pub schema: &'static str,
    pub version: &'static str,
    pub runs: Vec<Run>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Run {
    pub tool: Tool,
    pub results: Vec<SarifResult>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    pub driver: Driver,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Driver {
    pub name: &'static str,
    pub version: String,
    pub rules: Vec<Rule>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    pub id: String,
    pub short_description: Text,
    pub default_configuration: Configuration,
}

#[derive(Debug, Clone, Serialize)]
pub struct Configuration {
    pub level: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Text {
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifResult {
    pub rule_id: String,
    pub rule_index: usize,
    pub level: &'static str,
    pub message: Text,
    pub locations: Vec<Location>,
    pub properties: Properties,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub physical_location: Option<PhysicalLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub logical_locations: Vec<LogicalLocation>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhysicalLocation {
    pub artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<Region>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArtifactLocation {
    pub uri: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    pub start_line: u32,
    /// Absent for a finding traced to a template line (the whole line is meant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_column: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogicalLocation {
    pub fully_qualified_name: String,
    pub kind: &'static str,
}

/// What a finding carries beyond SARIF's own fields.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Properties {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<usize>,
    pub kube_version: String,
}

/// The short description of a rule id (the ones of [`rule`]; others are named by their id).
fn describe(id: &str) -> String {
    match id {
        rule::SCHEMA => "The resource violates its Kubernetes schema".into(),
        rule::FORMAT => "A value does not meet the format its schema states".into(),
        rule::DUPLICATE_KEY => "A map has the same key twice".into(),
        rule::NO_SCHEMA => "No schema for the resource's apiVersion and kind".into(),
        rule::DOCUMENT => "The document is not a Kubernetes resource".into(),
        rule::YAML => "The document is not valid YAML".into(),
        rule::DEPRECATED_API => "The apiVersion is deprecated or removed".into(),
        rule::DUPLICATE_RESOURCE => "The same resource is defined twice".into(),
        "helm" => "A check of helm lint".into(),
        other => format!("chartroom lint rule {other}"),
    }
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn resource_name(f: &Finding) -> Option<String> {
    let (kind, name) = (f.kind.as_ref()?, f.name.as_ref()?);
    Some(match &f.namespace {
        Some(ns) => format!("{ns}/{kind}/{name}"),
        None => format!("{kind}/{name}"),
    })
}

/// The report as a SARIF 2.1.0 log; `version` is the tool version it names.
pub fn to_sarif(report: &Report, version: &str) -> Log {
    let mut rules: Vec<Rule> = Vec::new();
    let mut results = Vec::with_capacity(report.findings.len());
    for f in &report.findings {
        let rule_index = match rules.iter().position(|r| r.id == f.rule) {
            Some(i) => i,
            None => {
                rules.push(Rule {
                    id: f.rule.clone(),
                    short_description: Text {
                        text: describe(&f.rule),
                    },
                    default_configuration: Configuration {
                        level: level(f.severity),
                    },
                });
                rules.len() - 1
            }
        };
        let physical_location = f.file.as_ref().map(|file| PhysicalLocation {
            artifact_location: ArtifactLocation { uri: file.clone() },
            region: match (f.line, f.column) {
                (Some(l), c) if l > 0 => Some(Region {
                    start_line: l,
                    start_column: c.filter(|&c| c > 0),
                }),
                _ => None,
            },
        });
        let logical_locations = resource_name(f)
            .map(|n| {
                vec![LogicalLocation {
                    fully_qualified_name: n,
                    kind: "resource",
                }]
            })
            .unwrap_or_default();
        let mut text = f.message.clone();
        if !f.path.is_empty() {
            text = format!("{}: {text}", f.path);
        }
        results.push(SarifResult {
            rule_id: f.rule.clone(),
            rule_index,
            level: level(f.severity),
            message: Text { text },
            locations: vec![Location {
                physical_location,
                logical_locations,
            }],
            properties: Properties {
                path: f.path.clone(),
                document: f.document,
                kube_version: f.kube_version.clone(),
            },
        });
    }
    Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "chartroom",
                    version: version.to_string(),
                    rules,
                },
            },
            results,
        }],
    }
}
