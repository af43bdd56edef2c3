-- The server runs as a runtime role that may only INSERT and SELECT the audit log (GrantRuntime
-- in roles.go gives it its privileges after every migration). The chain trigger therefore runs
-- with its owner's rights: it keeps audit_head and the id sequence, which the runtime role
-- cannot touch, so the only way the application can change the chain is to append to it.
ALTER FUNCTION audit_log_chain() SECURITY DEFINER SET search_path FROM CURRENT;
REVOKE ALL ON FUNCTION audit_log_chain() FROM PUBLIC;
