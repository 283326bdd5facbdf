//! ACLED's event taxonomy: disorder types, event types and sub-event types.
//!
//! Serialized names are spelled exactly as in ACLED's codebook (and rasd's DESIGN.md), so that
//! a JSON event or a CSV row can be read by tools that know ACLED.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// ACLED's disorder type, derived from the event type.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub enum DisorderType {
    /// Battles, remote violence, violence against civilians, mob violence.
    #[serde(rename = "Political violence")]
    PoliticalViolence,
    /// Protests and riots other than mob violence.
    #[serde(rename = "Demonstrations")]
    Demonstrations,
    /// Strategic developments.
    #[serde(rename = "Strategic developments")]
    StrategicDevelopments,
}

impl DisorderType {
    /// The name as ACLED writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            DisorderType::PoliticalViolence => "Political violence",
            DisorderType::Demonstrations => "Demonstrations",
            DisorderType::StrategicDevelopments => "Strategic developments",
        }
    }
}

macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[derive(Serialize, Deserialize, JsonSchema)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant,)+
        }

        impl $name {
            /// Every value, in taxonomy order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The name exactly as the taxonomy spells it.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = crate::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str().eq_ignore_ascii_case(s.trim()))
                    .ok_or_else(|| crate::Error::UnknownName {
                        kind: stringify!($name),
                        name: s.to_string(),
                    })
            }
        }
    };
}

named_enum! {
    /// ACLED's six event types.
    EventType {
        /// Armed clashes and territorial changes through fighting.
        Battles = "Battles",
        /// Strikes, shelling, explosives.
        ExplosionsRemoteViolence = "Explosions/Remote violence",
        /// Organised violence against unarmed people.
        ViolenceAgainstCivilians = "Violence against civilians",
        /// Non-violent demonstrations.
        Protests = "Protests",
        /// Violent demonstrations and mobs.
        Riots = "Riots",
        /// Non-violent but significant developments.
        StrategicDevelopments = "Strategic developments",
    }
}

named_enum! {
    /// ACLED's sub-event types; each belongs to one [`EventType`].
    SubEventType {
        /// Armed groups fight each other.
        ArmedClash = "Armed clash",
        /// The state takes back territory.
        GovernmentRegainsTerritory = "Government regains territory",
        /// A non-state group takes territory.
        NonStateActorOvertakesTerritory = "Non-state actor overtakes territory",
        /// Chemical weapons used.
        ChemicalWeapon = "Chemical weapon",
        /// Strike from aircraft or drone.
        AirDroneStrike = "Air/drone strike",
        /// Suicide bombing.
        SuicideBomb = "Suicide bomb",
        /// Shelling, artillery, missiles.
        ShellingArtilleryMissileAttack = "Shelling/artillery/missile attack",
        /// Remote explosive, landmine, IED.
        RemoteExplosiveLandmineIed = "Remote explosive/landmine/IED",
        /// Grenade.
        Grenade = "Grenade",
        /// Sexual violence.
        SexualViolence = "Sexual violence",
        /// Attack on civilians (including killings and assassinations).
        Attack = "Attack",
        /// Abduction or forced disappearance.
        AbductionForcedDisappearance = "Abduction/forced disappearance",
        /// Peaceful protest.
        PeacefulProtest = "Peaceful protest",
        /// Protest met with intervention.
        ProtestWithIntervention = "Protest with intervention",
        /// Excessive (lethal) force against protesters.
        ExcessiveForceAgainstProtesters = "Excessive force against protesters",
        /// Violent demonstration.
        ViolentDemonstration = "Violent demonstration",
        /// Mob violence.
        MobViolence = "Mob violence",
        /// Agreement, ceasefire, settlement.
        Agreement = "Agreement",
        /// Arrests and detention raids.
        Arrests = "Arrests",
        /// Defections, mobilisation, new alliances, operations rooms.
        ChangeToGroupActivity = "Change to group/activity",
        /// Weapons seized or defused.
        DisruptedWeaponsUse = "Disrupted weapons use",
        /// Headquarters or base established.
        HeadquartersOrBaseEstablished = "Headquarters or base established",
        /// Looting, arson, property destruction.
        LootingPropertyDestruction = "Looting/property destruction",
        /// Withdrawal or hand-over without fighting.
        NonViolentTransferOfTerritory = "Non-violent transfer of territory",
        /// Other strategic developments (curfews, ...).
        Other = "Other",
    }
}

impl EventType {
    /// ACLED's disorder type of this event type. Riots are `Demonstrations` except mob
    /// violence; use [`SubEventType::disorder_type`] when the sub-type is known.
    pub fn disorder_type(self) -> DisorderType {
        match self {
            EventType::Battles
            | EventType::ExplosionsRemoteViolence
            | EventType::ViolenceAgainstCivilians => DisorderType::PoliticalViolence,
            EventType::Protests | EventType::Riots => DisorderType::Demonstrations,
            EventType::StrategicDevelopments => DisorderType::StrategicDevelopments,
        }
    }

    /// The sub-event types of this event type.
    pub fn sub_event_types(self) -> impl Iterator<Item = SubEventType> {
        SubEventType::ALL
            .iter()
            .copied()
            .filter(move |s| s.event_type() == self)
    }
}

impl SubEventType {
    /// The event type this sub-event type belongs to.
    pub fn event_type(self) -> EventType {
        use SubEventType::*;
        match self {
            ArmedClash | GovernmentRegainsTerritory | NonStateActorOvertakesTerritory => {
                EventType::Battles
            }
            ChemicalWeapon
            | AirDroneStrike
            | SuicideBomb
            | ShellingArtilleryMissileAttack
            | RemoteExplosiveLandmineIed
            | Grenade => EventType::ExplosionsRemoteViolence,
            SexualViolence | Attack | AbductionForcedDisappearance => {
                EventType::ViolenceAgainstCivilians
            }
            PeacefulProtest | ProtestWithIntervention | ExcessiveForceAgainstProtesters => {
                EventType::Protests
            }
            ViolentDemonstration | MobViolence => EventType::Riots,
            Agreement
            | Arrests
            | ChangeToGroupActivity
            | DisruptedWeaponsUse
            | HeadquartersOrBaseEstablished
            | LootingPropertyDestruction
            | NonViolentTransferOfTerritory
            | Other => EventType::StrategicDevelopments,
        }
    }

    /// ACLED's disorder type (mob violence is political violence).
    pub fn disorder_type(self) -> DisorderType {
        match self {
            SubEventType::MobViolence => DisorderType::PoliticalViolence,
            other => other.event_type().disorder_type(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_spelled_as_the_taxonomy() {
        let json = serde_json::to_string(&SubEventType::RemoteExplosiveLandmineIed).unwrap();
        assert_eq!(json, "\"Remote explosive/landmine/IED\"");
        let json = serde_json::to_string(&EventType::ExplosionsRemoteViolence).unwrap();
        assert_eq!(json, "\"Explosions/Remote violence\"");
        let parsed: SubEventType = "Change to group/activity".parse().unwrap();
        assert_eq!(parsed, SubEventType::ChangeToGroupActivity);
        assert!("Skirmish".parse::<SubEventType>().is_err());
    }

    #[test]
    fn every_event_type_has_its_sub_types() {
        let counts: Vec<usize> = EventType::ALL
            .iter()
            .map(|t| t.sub_event_types().count())
            .collect();
        assert_eq!(counts, vec![3, 6, 3, 3, 2, 8]);
        assert_eq!(SubEventType::ALL.len(), 25);
    }

    #[test]
    fn disorder_types_follow_acled() {
        assert_eq!(
            SubEventType::MobViolence.disorder_type(),
            DisorderType::PoliticalViolence
        );
        assert_eq!(
            SubEventType::ViolentDemonstration.disorder_type(),
            DisorderType::Demonstrations
        );
        assert_eq!(
            SubEventType::Arrests.disorder_type(),
            DisorderType::StrategicDevelopments
        );
    }
}
