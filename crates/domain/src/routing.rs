//! Routing: which agencies receive a tip, each with its role and the reason in words.
//!
//! A tip goes to the owning agency of its site, and to every law-enforcement agency whose
//! jurisdiction contains the tip's point (the site's location when the tipster gave no
//! point): each of them is *primary* — it must acknowledge, on the clock, and escalates until
//! it does, whoever else took the tip first. A fusion centre whose area contains the point is
//! *informed* of life-safety and urgent tips, a crisis centre of self-harm tips: they are told
//! and mark the tip as seen, never holding its clock. When no primary receiver matches, the
//! fallback agency receives it as primary: no tip is ever without someone who must decide.

use geo::{Contains, MultiPolygon, Point};

/// The kinds of agency that take part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AgencyKind {
    LawEnforcement,
    SchoolDistrict,
    School,
    FusionCentre,
    Federal,
    CrisisCentre,
    College,
    HouseOfWorship,
}

impl AgencyKind {
    pub const ALL: [AgencyKind; 8] = [
        AgencyKind::LawEnforcement,
        AgencyKind::SchoolDistrict,
        AgencyKind::School,
        AgencyKind::FusionCentre,
        AgencyKind::Federal,
        AgencyKind::CrisisCentre,
        AgencyKind::College,
        AgencyKind::HouseOfWorship,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AgencyKind::LawEnforcement => "law_enforcement",
            AgencyKind::SchoolDistrict => "school_district",
            AgencyKind::School => "school",
            AgencyKind::FusionCentre => "fusion_centre",
            AgencyKind::Federal => "federal",
            AgencyKind::CrisisCentre => "crisis_centre",
            AgencyKind::College => "college",
            AgencyKind::HouseOfWorship => "house_of_worship",
        }
    }

    pub fn parse(code: &str) -> Option<AgencyKind> {
        AgencyKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// An agency as routing sees it.
#[derive(Debug, Clone)]
pub struct RoutingAgency {
    pub id: i64,
    pub name: String,
    pub kind: AgencyKind,
    pub jurisdiction: Option<MultiPolygon<f64>>,
}

/// A registered site as routing sees it.
#[derive(Debug, Clone)]
pub struct RoutingSite {
    pub id: i64,
    pub name: String,
    pub owner_agency_id: i64,
    /// (lon, lat)
    pub location: Option<(f64, f64)>,
}

closed_codes! {
    /// What a receiving agency must do with a tip.
    pub enum RouteRole {
        /// Must acknowledge; on the clock and escalated until it does.
        Primary => "primary",
        /// Told, marks as seen; never holds the clock.
        Informed => "informed",
        /// A partner brought in by escalation, standing in for a receiver that did not answer:
        /// called while nobody has acknowledged, free once someone has.
        Backup => "backup",
    }
}

impl RouteRole {
    /// The role in words, as the tip page shows it.
    pub fn label(self) -> &'static str {
        match self {
            RouteRole::Primary => "must acknowledge",
            RouteRole::Informed => "informed",
            RouteRole::Backup => "stands in",
        }
    }
}

/// One agency chosen to receive a tip, its role, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub agency_id: i64,
    pub role: RouteRole,
    pub reason: String,
}

/// What routing reads of the tip itself.
#[derive(Debug, Clone, Copy)]
pub struct RouteTip {
    pub category: crate::tip::Category,
    pub tier: crate::urgency::Tier,
}

/// The kinds of agency told of a tip in their area without having to act on it, and of which tips.
fn informs(kind: AgencyKind, tip: RouteTip) -> bool {
    match kind {
        AgencyKind::FusionCentre => tip.tier <= crate::urgency::Tier::Urgent,
        AgencyKind::CrisisCentre => tip.category == crate::tip::Category::SelfHarm,
        _ => false,
    }
}

/// Decides the receiving agencies. `point` is (lon, lat). `exclude` lists agencies that
/// already declined or transferred the tip away, so re-routing never returns it to them.
pub fn route(
    agencies: &[RoutingAgency],
    tip: RouteTip,
    site: Option<&RoutingSite>,
    point: Option<(f64, f64)>,
    fallback_agency_id: i64,
    exclude: &[i64],
) -> Vec<Route> {
    let mut routes: Vec<Route> = Vec::new();
    let mut push = |agency_id: i64, role: RouteRole, reason: String| {
        if !exclude.contains(&agency_id) && !routes.iter().any(|r| r.agency_id == agency_id) {
            routes.push(Route { agency_id, role, reason });
        }
    };
    if let Some(site) = site {
        // The site's own team (a school's threat-assessment team) always acts on its tips.
        push(site.owner_agency_id, RouteRole::Primary, format!("owns the site {}", site.name));
    }
    let (where_from, at) = match (point, site.and_then(|s| s.location)) {
        (Some(p), _) => ("the reported location", Some(p)),
        (None, Some(p)) => ("the site's location", Some(p)),
        (None, None) => ("", None),
    };
    if let Some((lon, lat)) = at {
        let p = Point::new(lon, lat);
        let covering = |a: &&RoutingAgency| a.jurisdiction.as_ref().is_some_and(|j| j.contains(&p));
        for agency in agencies.iter().filter(|a| a.kind == AgencyKind::LawEnforcement).filter(covering) {
            push(agency.id, RouteRole::Primary, format!("law enforcement with jurisdiction over {where_from}"));
        }
        for agency in agencies.iter().filter(|a| informs(a.kind, tip)).filter(covering) {
            push(agency.id, RouteRole::Informed, format!("informed: its area includes {where_from}"));
        }
    }
    if !routes.iter().any(|r| r.role == RouteRole::Primary) {
        let reason = if exclude.contains(&fallback_agency_id) {
            // Everyone declined, the fallback included: it gets the tip back rather than
            // the tip being dropped. A person there must decide.
            "fallback agency: every other agency declined".to_owned()
        } else {
            "fallback agency: no site owner or jurisdiction matched".to_owned()
        };
        // The fallback must act even when it was only informed.
        routes.retain(|r| r.agency_id != fallback_agency_id);
        routes.push(Route { agency_id: fallback_agency_id, role: RouteRole::Primary, reason });
    }
    routes
}

closed_codes! {
    /// Where a tip's route to an agency stands.
    pub enum RouteState {
        /// Sent; the agency has not yet acknowledged.
        Pending => "pending",
        /// The agency took the tip.
        Accepted => "accepted",
        Declined => "declined",
        Transferred => "transferred",
    }
}

impl RouteState {
    /// The route's state in words.
    pub fn label(self) -> &'static str {
        match self {
            RouteState::Pending => "not yet acknowledged",
            RouteState::Accepted => "acknowledged",
            RouteState::Declined => "declined",
            RouteState::Transferred => "transferred",
        }
    }

    /// A pending or accepted route: the agency holds the tip.
    pub fn is_active(self) -> bool {
        matches!(self, RouteState::Pending | RouteState::Accepted)
    }

    /// The agency let the tip go (declined it or handed it on).
    pub fn has_left(self) -> bool {
        matches!(self, RouteState::Declined | RouteState::Transferred)
    }
}

closed_codes! {
    /// What a registered site is.
    pub enum SiteKind {
        School => "school",
        /// A college or university campus.
        Campus => "campus",
        HouseOfWorship => "house_of_worship",
        Other => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, Polygon};

    fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> MultiPolygon<f64> {
        let ring = LineString::from(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]);
        MultiPolygon::new(vec![Polygon::new(ring, vec![])])
    }

    fn agencies() -> Vec<RoutingAgency> {
        vec![
            RoutingAgency {
                id: 1,
                name: "Sheriff".into(),
                kind: AgencyKind::LawEnforcement,
                jurisdiction: Some(square(0.0, 0.0, 10.0, 10.0)),
            },
            RoutingAgency {
                id: 2,
                name: "City PD".into(),
                kind: AgencyKind::LawEnforcement,
                jurisdiction: Some(square(2.0, 2.0, 4.0, 4.0)),
            },
            RoutingAgency {
                id: 3,
                name: "District".into(),
                kind: AgencyKind::SchoolDistrict,
                jurisdiction: Some(square(0.0, 0.0, 10.0, 10.0)),
            },
            RoutingAgency { id: 4, name: "Fusion".into(), kind: AgencyKind::FusionCentre, jurisdiction: None },
        ]
    }

    fn show(routes: &[Route]) -> String {
        routes.iter().map(|r| format!("{} {}: {}", r.agency_id, r.role.code(), r.reason)).collect::<Vec<_>>().join("\n")
    }

    const THREAT: RouteTip = RouteTip { category: crate::tip::Category::Threat, tier: crate::urgency::Tier::Standard };

    #[test]
    fn site_owner_and_police_of_the_site() {
        let site = RoutingSite { id: 9, name: "Pine High".into(), owner_agency_id: 3, location: Some((3.0, 3.0)) };
        let r = route(&agencies(), THREAT, Some(&site), None, 4, &[]);
        assert_eq!(
            show(&r),
            "3 primary: owns the site Pine High\n1 primary: law enforcement with jurisdiction over the site's location\n2 primary: law enforcement with jurisdiction over the site's location"
        );
    }

    #[test]
    fn nothing_matches_goes_to_fallback() {
        let r = route(&agencies(), THREAT, None, Some((50.0, 50.0)), 4, &[]);
        assert_eq!(show(&r), "4 primary: fallback agency: no site owner or jurisdiction matched");
    }

    #[test]
    fn declined_agency_is_not_chosen_again() {
        let r = route(&agencies(), THREAT, None, Some((5.0, 5.0)), 4, &[1]);
        assert_eq!(show(&r), "4 primary: fallback agency: no site owner or jurisdiction matched");
        let r = route(&agencies(), THREAT, None, Some((5.0, 5.0)), 4, &[1, 4]);
        assert_eq!(show(&r), "4 primary: fallback agency: every other agency declined");
    }

    /// Fusion and crisis centres are told of the tips that concern them in their area, and act
    /// on none: the police still must, and with no police there the fallback must.
    #[test]
    fn informed_receivers() {
        use crate::tip::Category::SelfHarm;
        use crate::urgency::Tier::{LifeSafety, Standard};
        let mut with_centres = agencies();
        let area = Some(square(0.0, 0.0, 100.0, 100.0));
        with_centres.push(RoutingAgency {
            id: 5,
            name: "Crisis".into(),
            kind: AgencyKind::CrisisCentre,
            jurisdiction: area.clone(),
        });
        with_centres.push(RoutingAgency {
            id: 6,
            name: "Region".into(),
            kind: AgencyKind::FusionCentre,
            jurisdiction: area,
        });
        let tip = |category, tier| RouteTip { category, tier };
        let r = route(&with_centres, tip(SelfHarm, LifeSafety), None, Some((5.0, 5.0)), 4, &[]);
        assert_eq!(
            show(&r),
            "1 primary: law enforcement with jurisdiction over the reported location\n5 informed: informed: its area includes the reported location\n6 informed: informed: its area includes the reported location"
        );
        let r = route(&with_centres, tip(SelfHarm, Standard), None, Some((50.0, 50.0)), 4, &[]);
        assert_eq!(
            show(&r),
            "5 informed: informed: its area includes the reported location\n4 primary: fallback agency: no site owner or jurisdiction matched"
        );
        let r = route(&with_centres, THREAT, None, Some((50.0, 50.0)), 6, &[]);
        assert_eq!(
            show(&r),
            "6 primary: fallback agency: no site owner or jurisdiction matched",
            "standard threat: nobody informed"
        );
    }
}
