//! Gazetteer of Member States and observers (reference/member-states.json).
//! OWNED BY THE FIELDS HELPER — placeholder.
