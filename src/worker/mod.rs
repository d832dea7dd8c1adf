//! The async OAuth worker: owns every HTTP call the console makes.
