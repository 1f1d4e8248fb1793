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
    Ok(MultiPolygon::new(polygons))
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
    }
}
