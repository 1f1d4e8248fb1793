//! Demo data for `sightline serve --demo`: a county with a sheriff, a city police department,
//! a school district with three schools, a state fusion centre, staff users, and 30 tips
//! across every tier, filed through the same intake path as real tips.

use crate::admin::{Admin, AgencyInput, SiteInput};
use crate::ctx::Ctx;
use crate::intake;
use domain::routing::AgencyKind;
use domain::staff::Role;
use domain::tip::{Category, GeoPoint, Location, Narrative, NewTip, SubjectMention};

/// A staff account created for the demo, shown once.
pub struct DemoLogin {
    pub email: String,
    pub agency: String,
    pub roles: String,
    pub password: String,
    pub token: String,
    /// The TOTP key (base32) for an authenticator app.
    pub totp: String,
}

fn square(lon0: f64, lat0: f64, lon1: f64, lat1: f64) -> String {
    format!(
        r#"{{"type":"Polygon","coordinates":[[[{lon0},{lat0}],[{lon1},{lat0}],[{lon1},{lat1}],[{lon0},{lat1}],[{lon0},{lat0}]]]}}"#
    )
}

/// Loads the demo world unless the store already holds agencies. Returns the logins created.
pub async fn load(ctx: &Ctx) -> anyhow::Result<Vec<DemoLogin>> {
    if !ctx.store.list_agencies().await?.is_empty() {
        return Ok(Vec::new());
    }
    let now = ctx.now();
    let admin = Admin::demo(ctx);
    let agency = |name: &str, kind, jurisdiction: Option<String>, partner| AgencyInput {
        name: name.into(),
        kind,
        jurisdiction,
        partner,
        ack_policy: None,
    };
    let county = Some(square(-87.9, 41.5, -87.3, 42.1));
    let city_limits = Some(square(-87.7, 41.7, -87.5, 41.9));
    let fusion = admin.create_agency(agency("State Fusion Center", AgencyKind::FusionCentre, None, None)).await?;
    let sheriff = admin
        .create_agency(agency(
            "Harlan County Sheriff's Office",
            AgencyKind::LawEnforcement,
            county.clone(),
            Some(fusion.id),
        ))
        .await?;
    let city = admin
        .create_agency(agency("Millbrook Police Department", AgencyKind::LawEnforcement, city_limits, Some(sheriff.id)))
        .await?;
    let district = admin
        .create_agency(agency(
            "Millbrook Unified School District",
            AgencyKind::SchoolDistrict,
            county,
            Some(sheriff.id),
        ))
        .await?;
    admin.set_fallback(fusion.id).await?;
    // The demo county is in the central time zone.
    admin.set_time_zone("America/Chicago").await?;
    let site = |name: &str, lat, lon, address: &str| SiteInput {
        name: name.into(),
        kind: Some(domain::routing::SiteKind::School),
        owner: district.id,
        lat: Some(lat),
        lon: Some(lon),
        address: Some(address.into()),
    };
    let high = admin.create_site(site("Millbrook High School", 41.80, -87.60, "400 Lincoln Ave, Millbrook")).await?;
    let middle = admin.create_site(site("Jefferson Middle School", 41.76, -87.62, "12 Oak St, Millbrook")).await?;
    let elementary =
        admin.create_site(site("Cedar Creek Elementary", 41.60, -87.80, "90 Creek Rd, Harlan County")).await?;
    ctx.invalidate_routing().await;

    let mut logins = Vec::new();
    let people = [
        ("analyst@fusion.demo", "Dana Reyes", fusion.id, "State Fusion Center", vec![Role::Analyst]),
        ("supervisor@fusion.demo", "Sam Okafor", fusion.id, "State Fusion Center", vec![Role::Supervisor]),
        ("analyst@sheriff.demo", "Lee Carter", sheriff.id, "Harlan County Sheriff's Office", vec![Role::Analyst]),
        (
            "supervisor@sheriff.demo",
            "Morgan Diaz",
            sheriff.id,
            "Harlan County Sheriff's Office",
            vec![Role::Supervisor],
        ),
        ("officer@millbrookpd.demo", "Jordan Kim", city.id, "Millbrook Police Department", vec![Role::Analyst]),
        (
            "threat-team@millbrook-usd.demo",
            "Avery Patel",
            district.id,
            "Millbrook Unified School District",
            vec![Role::Analyst],
        ),
        (
            "principal@millbrook-usd.demo",
            "Robin Walsh",
            district.id,
            "Millbrook Unified School District",
            vec![Role::Supervisor],
        ),
        ("admin@fusion.demo", "Casey Nguyen", fusion.id, "State Fusion Center", vec![Role::Admin]),
        ("auditor@fusion.demo", "Quinn Baker", fusion.id, "State Fusion Center", vec![Role::Auditor]),
    ];
    for (email, name, agency_id, agency_name, roles) in people {
        let (user, password) = admin.create_user(agency_id, email, Some(name), roles.clone()).await?;
        let token = admin.create_token(&user, 366, Vec::new(), "demo").await?;
        // Demo accounts start with a second factor, so the printed key signs in at once.
        let secret = vault::mfa::new_secret();
        ctx.store
            .set_mfa(user.id, Some(vault::mfa::seal_secret(&ctx.secrets.keyring, &secret)), Some(now), vec![], None)
            .await?;
        logins.push(DemoLogin {
            totp: vault::mfa::secret_text(&secret),
            email: email.into(),
            agency: agency_name.into(),
            roles: roles.iter().map(|r| r.code()).collect::<Vec<_>>().join(","),
            password,
            token,
        });
    }

    let sites = [high.id, middle.id, elementary.id];
    for (i, (category, narrative, site, subject)) in DEMO_TIPS.iter().enumerate() {
        let tip = NewTip {
            category: Category::parse(category).unwrap_or(Category::Other),
            narrative: Narrative::parse(narrative).map_err(|e| anyhow::anyhow!("demo tip {i}: {e}"))?,
            language: None,
            location: if site.is_none() && i % 3 == 0 {
                Some(Location::Point(GeoPoint::parse(41.8 + (i as f64) * 0.001, -87.6)?))
            } else {
                None
            },
            site_id: site.map(|s| sites[s]),
            subjects: subject
                .map(|name| vec![SubjectMention { name: Some(name.into()), ..Default::default() }])
                .unwrap_or_default(),
            contact: None,
        };
        intake::file_tip(ctx, tip, &[], None).await.map_err(|e| anyhow::anyhow!("demo tip {i}: {e}"))?;
    }
    Ok(logins)
}

type DemoTip = (&'static str, &'static str, Option<usize>, Option<&'static str>);

/// Thirty invented tips, from life-safety to informational, in English and Spanish.
const DEMO_TIPS: [DemoTip; 30] = [
    (
        "planned_attack",
        "Tyler posted on his Snapchat story that he is going to shoot up the school tomorrow. He showed his dad's AR-15 in the video and said everyone in the cafeteria will pay.",
        Some(0),
        Some("Tyler Brandt"),
    ),
    (
        "weapon",
        "A kid in my 3rd period has a gun in his backpack right now. I saw it when he opened it. He said he's going to use it after lunch.",
        Some(0),
        None,
    ),
    (
        "self_harm",
        "My friend Mia texted me that she took a bunch of pills tonight and wants to die. She isn't answering now. Please help.",
        None,
        Some("Mia Lopez"),
    ),
    (
        "threat",
        "Marcus said in the group chat he's bringing a knife Friday to stab Jayden because of the fight. Other kids saw the message.",
        Some(1),
        Some("Marcus Hill"),
    ),
    (
        "planned_attack",
        "Mi primo dijo que va a llevar una pistola a la escuela el lunes para matar a los que lo molestan. Tiene un plan y una lista de nombres.",
        Some(1),
        None,
    ),
    (
        "trafficking",
        "There is a girl, maybe 15, who comes to the motel on Route 9 with different older men every night. She looks scared and someone else holds her phone and ID.",
        None,
        None,
    ),
    (
        "abuse",
        "My neighbor's little boy has bruises on his arms every week and I hear his stepdad screaming and hitting him at night.",
        None,
        None,
    ),
    (
        "self_harm",
        "A student in my class has been cutting and wrote in her journal that she doesn't want to be alive anymore.",
        Some(2),
        None,
    ),
    (
        "threat",
        "Someone wrote 'you will all die on Monday' on the bathroom wall in the boys' locker room.",
        Some(0),
        None,
    ),
    (
        "weapon",
        "I think a student brought a vape that looks like a gun? Not sure if it's real. It was in the parking lot.",
        Some(0),
        None,
    ),
    (
        "bullying",
        "A group of 8th graders keeps taking Ethan's lunch and shoving him in the hallway every day. He stopped coming to school some days.",
        Some(1),
        Some("Ethan Moore"),
    ),
    (
        "cyber",
        "Someone made a fake Instagram account with pictures of my daughter and is posting mean comments about her body.",
        Some(2),
        None,
    ),
    ("drugs", "Kids are selling vapes and edibles in the back of the bus after school.", Some(0), None),
    (
        "bullying",
        "Están molestando a mi hermano en la escuela todos los días y le dicen cosas feas por su acento.",
        Some(1),
        None,
    ),
    (
        "suspicious_activity",
        "A gray van has been parked across from the elementary school every afternoon this week and a man takes photos of the playground.",
        Some(2),
        None,
    ),
    (
        "drugs",
        "I think my classmate is dealing pills. He has a lot of cash and people meet him behind the gym.",
        Some(0),
        None,
    ),
    ("cyber", "Someone hacked the school's Discord server and posted the home addresses of teachers.", Some(0), None),
    (
        "other",
        "The fence behind the football field has a big hole and people from outside walk onto campus during practice.",
        Some(0),
        None,
    ),
    (
        "suspicious_activity",
        "A man tried to get kids to come to his car near the bus stop on Elm Street yesterday.",
        None,
        None,
    ),
    (
        "threat",
        "He said he would never hurt anyone, he was just upset about his grade, but I wanted someone to know he was really angry.",
        Some(0),
        None,
    ),
    (
        "other",
        "The lights in the back parking lot have been out for two weeks and it's very dark after the late bus.",
        Some(0),
        None,
    ),
    ("bullying", "Kids keep calling a girl names on the bus. It's not physical but it is every day.", Some(2), None),
    (
        "other",
        "Just letting you know there was a loud argument between parents at pickup today. No one was hurt.",
        Some(2),
        None,
    ),
    ("drugs", "Found an empty bottle of alcohol in the bleachers after the game.", Some(0), None),
    ("other", "I want to say thank you to the counselor who helped my son last month.", None, None),
    (
        "cyber",
        "My son got a weird message from someone claiming to be a classmate asking for photos. We blocked them.",
        None,
        None,
    ),
    ("suspicious_activity", "There were some teenagers skateboarding on the school roof on Sunday.", Some(1), None),
    ("other", "The crosswalk guard wasn't there this morning and cars were going fast.", Some(2), None),
    ("bullying", "Mi hija dice que unas compañeras la excluyen en el recreo.", Some(2), None),
    ("other", "Someone left a bag of old clothes by the gym door, probably for donation.", Some(0), None),
];
