-- The queue asks for one agency's held tips: a covering index so it never scans an agency's
-- routes once per tip (seen on SQLite 3.51: seconds at a few thousand tips).
CREATE INDEX tip_routes_agency_state_tip ON tip_routes (agency_id, state, tip_id);
