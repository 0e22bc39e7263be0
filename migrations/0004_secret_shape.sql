-- Whether the stored secret has the shape of a GUID (likely the Secret ID, not the Value), noted
-- when it is saved so that the checklist can warn without opening the secret.
ALTER TABLE profiles ADD COLUMN secret_looks_like_id INTEGER NOT NULL DEFAULT 0;
