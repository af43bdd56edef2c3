// Package demodata makes up a district's worth of realistic-looking Chinese demo data: key
// enterprises with valid unified social credit codes, people, projects, visit notes and ticket
// ideas. It is for demos, screenshots and benchmarks only — never for real records.
//
// Every function draws only from the *rand.Rand it is given, so the same seed always gives the
// same district:
//
//	r := rand.New(rand.NewPCG(2026, 1))
//	ents := demodata.Enterprises(r, 300)
//
// The word lists live in this package's source. The district looks like a Suzhou industrial park
// (苏州工业园区): its sub-districts are Streets and its road names are real ones, but the
// enterprises, people and telephone numbers are invented.
package demodata
