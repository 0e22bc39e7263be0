-- How the connection says Exchange authorises the app: 'permission' (SMTP.SendAsApp with admin
-- consent), 'rbac' (Exchange RBAC for Applications) or 'unsure'. Existing connections did not say.
ALTER TABLE profiles ADD COLUMN auth_model TEXT NOT NULL DEFAULT 'unsure'
    CHECK (auth_model IN ('permission', 'rbac', 'unsure'));
