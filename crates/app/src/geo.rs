//! GeoJSON jurisdictions into `geo` polygons.

use geo::{MultiPolygon, Polygon};

/// Parses a GeoJSON Polygon or MultiPolygon (a bare geometry, a Feature, or a
/// FeatureCollection of them) into one MultiPolygon.
pub fn parse_jurisdiction(text: &str) -> Result<MultiPolygon<f64>, String> {
    let gj: geojson::GeoJson = text.parse().map_err(|e| format!("not GeoJSON: {e}"))?;
    let mut polygons: Vec<Polygon<f64>> = Vec::new();
    let mut add = |g: &geojson::Geometry| -> Result<(), String> {
        let geom: geo::Geometry<f64> = g.clone().try_into().map_err(|e| format!("bad geometry: {e}"))?;
        match geom {
            geo::Geometry::Polygon(p) => polygons.push(p),
            geo::Geometry::MultiPolygon(mp) => polygons.extend(mp.0),
            _ => return Err("a jurisdiction must be a Polygon or MultiPolygon".into()),
        }
        Ok(())
    };
    match &gj {
        geojson::GeoJson::Geometry(g) => add(g)?,
        geojson::GeoJson::Feature(f) => add(f.geometry.as_ref().ok_or("a Feature without geometry")?)?,
        geojson::GeoJson::FeatureCollection(fc) => {
            for f in &fc.features {
                add(f.geometry.as_ref().ok_or("a Feature without geometry")?)?;
            }
        }
    }
    if polygons.is_empty() {
        return Err("the jurisdiction has no polygon".into());
    }
    for (i, p) in polygons.iter().enumerate() {
        check_polygon(p).map_err(|why| format!("polygon {}: {why}", i + 1))?;
    }
    Ok(MultiPolygon::new(polygons))
}

/// A polygon that can contain a point: three corners or more, an area, and every corner a
/// place on Earth (longitude, latitude in degrees).
fn check_polygon(p: &Polygon<f64>) -> Result<(), String> {
    use geo::Area;
    // The ring repeats its first corner at the end.
    if p.exterior().0.len() < 4 {
        return Err("has fewer than three corners".into());
    }
    if p.unsigned_area() == 0.0 {
        return Err("has no area (its corners lie on one line)".into());
    }
    let outside = p.exterior().0.iter().chain(p.interiors().iter().flat_map(|r| r.0.iter())).find(|c| {
        !(c.x.is_finite() && c.y.is_finite() && (-180.0..=180.0).contains(&c.x) && (-90.0..=90.0).contains(&c.y))
    });
    if let Some(c) = outside {
        return Err(format!("corner [{}, {}] is not a longitude and latitude", c.x, c.y));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use geo::{Contains, Point};

    #[test]
    fn polygon_contains() {
        let mp = super::parse_jurisdiction(r#"{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]]]}"#)
            .unwrap();
        assert!(mp.contains(&Point::new(5.0, 5.0)));
        assert!(!mp.contains(&Point::new(15.0, 5.0)));
        assert!(super::parse_jurisdiction(r#"{"type":"Point","coordinates":[1,2]}"#).is_err());
        assert!(super::parse_jurisdiction("nonsense").is_err());
        let refused = |text: &str| super::parse_jurisdiction(text).unwrap_err();
        expect_test::expect![[r#"
            polygon 1: has fewer than three corners
            polygon 1: has no area (its corners lie on one line)
            polygon 1: corner [500, 0] is not a longitude and latitude"#]]
        .assert_eq(
            &[
                refused(r#"{"type":"Polygon","coordinates":[[[1,2]]]}"#),
                refused(r#"{"type":"Polygon","coordinates":[[[0,0],[1,1],[2,2],[0,0]]]}"#),
                refused(r#"{"type":"Polygon","coordinates":[[[0,0],[500,0],[500,10],[0,0]]]}"#),
            ]
            .join("\n"),
        );
    }
}
