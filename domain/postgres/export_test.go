package postgres

// Translate lets the storage tests return errors as the services do.
var Translate = translate
