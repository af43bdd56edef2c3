package postgres

// Translate lets the storage tests return errors as the services do.
var Translate = translate

// SetSearchWalk sets how many rows a search by a fragment walks before it asks the index.
func SetSearchWalk(s *EnterpriseService, n int) { s.walk = n }
