-- Stored bank content carries the version of its shape (the API validates it on every read);
-- content written before this migration is version 1.
UPDATE "bank_versions" SET "content" = jsonb_set("content", '{schemaVersion}', '1') WHERE NOT ("content" ? 'schemaVersion');
