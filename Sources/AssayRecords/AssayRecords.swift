// AssayRecords — Records: Open Badges 3.0 AchievementCredentials for recognised credit, secured as VC-JWT (EdDSA / RS256), issuer as did:key.
