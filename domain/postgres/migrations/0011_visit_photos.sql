-- Visit photos (走访照片) are attachments with owner_type 'visit' and owner_id the visit's id:
-- one mechanism stores, sniffs and serves every file. Widen the owner check to admit them.
ALTER TABLE attachments DROP CONSTRAINT attachments_owner_type;
ALTER TABLE attachments ADD CONSTRAINT attachments_owner_type CHECK (owner_type IN ('ticket', 'visit'));
