//! The language of what errcode-lsp says: English or Simplified Chinese.
//!
//! Catalog text (summaries, details) is chosen per entry through its `l10n` tables (see
//! `catalog::l10n`); the product's own words (diagnostic messages, action titles, labels) are
//! in `messages`. Both are asked for in a [`Locale`], which comes from, in order: an explicit
//! choice (`--lang`, the `locale` setting), the editor's `initialize` locale, the POSIX
//! environment (`LC_ALL`, `LC_MESSAGES`, `LANG`), and English.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A language errcode-lsp speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Locale {
    #[default]
    En,
    /// Simplified Chinese (`zh-CN`); every Chinese locale uses it.
    ZhCn,
}

impl Locale {
    /// The language tag used for catalog `l10n` lookups and in settings (`en`, `zh-CN`).
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::ZhCn => "zh-CN",
        }
    }

    /// The language of a locale tag or POSIX locale (`zh-CN`, `zh_TW.UTF-8`, `en-US`), if it
    /// is one errcode-lsp speaks. `C` and `POSIX` are English.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let tag = tag.trim();
        let language = tag.split(['-', '_', '.', '@']).next().unwrap_or_default().to_ascii_lowercase();
        match language.as_str() {
            "zh" => Some(Locale::ZhCn),
            "en" | "c" | "posix" => Some(Locale::En),
            _ => None,
        }
    }

    /// The language of the POSIX environment, as `gettext` picks it: the first of `LC_ALL`,
    /// `LC_MESSAGES` and `LANG` that is set and not empty decides (`zh_*` is Chinese; anything
    /// else, English). `var` reads a variable (`std::env::var` outside tests).
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Locale {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|name| var(name).filter(|v| !v.trim().is_empty()))
            .and_then(|value| Locale::from_tag(&value))
            .unwrap_or_default()
    }
}

/// The `locale` setting (errcode.toml, editor settings): `auto` follows the editor (or, for
/// the CLI, the environment); `en` and `zh-CN` choose.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum LocaleSetting {
    #[default]
    #[serde(rename = "auto")]
    Auto,
    #[serde(rename = "en")]
    En,
    #[serde(rename = "zh-CN", alias = "zh-cn", alias = "zh_CN", alias = "zh")]
    ZhCn,
}

impl LocaleSetting {
    /// The language this setting picks, given what `auto` falls back to.
    pub fn resolve(self, auto: Locale) -> Locale {
        match self {
            LocaleSetting::Auto => auto,
            LocaleSetting::En => Locale::En,
            LocaleSetting::ZhCn => Locale::ZhCn,
        }
    }

    /// The language this setting fixes, or `None` for `auto`.
    pub fn fixed(self) -> Option<Locale> {
        match self {
            LocaleSetting::Auto => None,
            other => Some(other.resolve(Locale::En)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_posix_locales() {
        for zh in ["zh-CN", "zh-cn", "zh_CN.UTF-8", "zh", "zh-Hans", "zh-TW", "ZH_sg@x"] {
            assert_eq!(Locale::from_tag(zh), Some(Locale::ZhCn), "{zh}");
        }
        for en in ["en", "en-US", "en_GB.UTF-8", "C", "C.UTF-8", "POSIX"] {
            assert_eq!(Locale::from_tag(en), Some(Locale::En), "{en}");
        }
        for other in ["de-DE", "ja", "", "zhx"] {
            assert_eq!(Locale::from_tag(other), None, "{other}");
        }
    }

    #[test]
    fn the_environment_follows_gettext_precedence() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
        };
        assert_eq!(Locale::from_env(env(&[("LANG", "zh_CN.UTF-8")])), Locale::ZhCn);
        assert_eq!(Locale::from_env(env(&[("LANG", "zh_CN.UTF-8"), ("LC_MESSAGES", "en_US.UTF-8")])), Locale::En);
        assert_eq!(Locale::from_env(env(&[("LC_MESSAGES", "en_US"), ("LC_ALL", "zh_TW")])), Locale::ZhCn);
        // An empty variable is not set.
        assert_eq!(Locale::from_env(env(&[("LC_ALL", ""), ("LANG", "zh_CN")])), Locale::ZhCn);
        // A language errcode-lsp does not speak is English, not the next variable.
        assert_eq!(Locale::from_env(env(&[("LC_ALL", "de_DE"), ("LANG", "zh_CN")])), Locale::En);
        assert_eq!(Locale::from_env(env(&[])), Locale::En);
    }

    #[test]
    fn the_setting_overrides_auto() {
        assert_eq!(LocaleSetting::Auto.resolve(Locale::ZhCn), Locale::ZhCn);
        assert_eq!(LocaleSetting::En.resolve(Locale::ZhCn), Locale::En);
        assert_eq!(LocaleSetting::ZhCn.resolve(Locale::En), Locale::ZhCn);
        let parsed: Vec<LocaleSetting> = serde_json::from_str(r#"["auto","en","zh-CN","zh_CN","zh"]"#).unwrap();
        assert_eq!(
            parsed,
            [LocaleSetting::Auto, LocaleSetting::En, LocaleSetting::ZhCn, LocaleSetting::ZhCn, LocaleSetting::ZhCn]
        );
        assert!(serde_json::from_str::<LocaleSetting>(r#""fr""#).is_err());
    }
}
