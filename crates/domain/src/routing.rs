//! Routing: which agencies receive a tip, each with the reason in words.
//!
//! A tip goes to the owning agency of its site, and to every law-enforcement agency whose
//! jurisdiction contains the tip's point (the site's location when the tipster gave no
//! point). When nothing matches, the fallback agency receives it: no tip is ever unrouted.

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

/// One agency chosen to receive a tip, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub agency_id: i64,
    pub reason: String,
}

/// Decides the receiving agencies. `point` is (lon, lat). `exclude` lists agencies that
/// already declined or transferred the tip away, so re-routing never returns it to them.
pub fn route(
    agencies: &[RoutingAgency],
    site: Option<&RoutingSite>,
    point: Option<(f64, f64)>,
    fallback_agency_id: i64,
    exclude: &[i64],
) -> Vec<Route> {
    let mut routes: Vec<Route> = Vec::new();
    let mut push = |agency_id: i64, reason: String| {
        if !exclude.contains(&agency_id) && !routes.iter().any(|r| r.agency_id == agency_id) {
            routes.push(Route { agency_id, reason });
        }
    };
    if let Some(site) = site {
        push(site.owner_agency_id, format!("owns the site {}", site.name));
    }
    let (where_from, at) = match (point, site.and_then(|s| s.location)) {
        (Some(p), _) => ("the reported location", Some(p)),
        (None, Some(p)) => ("the site's location", Some(p)),
        (None, None) => ("", None),
    };
    if let Some((lon, lat)) = at {
        let p = Point::new(lon, lat);
        for agency in agencies.iter().filter(|a| a.kind == AgencyKind::LawEnforcement) {
            if agency.jurisdiction.as_ref().is_some_and(|j| j.contains(&p)) {
                push(agency.id, format!("law enforcement with jurisdiction over {where_from}"));
            }
        }
    }
    if routes.is_empty() {
        let reason = if exclude.contains(&fallback_agency_id) {
            // Everyone declined, the fallback included: it gets the tip back rather than
            // the tip being dropped. A person there must decide.
            "fallback agency: every other agency declined".to_owned()
        } else {
            "fallback agency: no site owner or jurisdiction matched".to_owned()
        };
        routes.push(Route { agency_id: fallback_agency_id, reason });
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
        routes.iter().map(|r| format!("{}: {}", r.agency_id, r.reason)).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn site_owner_and_police_of_the_site() {
        let site = RoutingSite { id: 9, name: "Pine High".into(), owner_agency_id: 3, location: Some((3.0, 3.0)) };
        let r = route(&agencies(), Some(&site), None, 4, &[]);
        assert_eq!(
            show(&r),
            "3: owns the site Pine High\n1: law enforcement with jurisdiction over the site's location\n2: law enforcement with jurisdiction over the site's location"
        );
    }

    #[test]
    fn nothing_matches_goes_to_fallback() {
        let r = route(&agencies(), None, Some((50.0, 50.0)), 4, &[]);
        assert_eq!(show(&r), "4: fallback agency: no site owner or jurisdiction matched");
    }

    #[test]
    fn declined_agency_is_not_chosen_again() {
        let r = route(&agencies(), None, Some((5.0, 5.0)), 4, &[1]);
        assert_eq!(show(&r), "4: fallback agency: no site owner or jurisdiction matched");
        let r = route(&agencies(), None, Some((5.0, 5.0)), 4, &[1, 4]);
        assert_eq!(show(&r), "4: fallback agency: every other agency declined");
    }
}
