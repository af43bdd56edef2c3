package demodata_test

import (
	"math/rand/v2"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"steward/domain"
	"steward/domain/postgres/demodata"
)

func seeded(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 2026))
}

var mobile = regexp.MustCompile(`^1[3-9][0-9]{9}$`)

func TestSameSeedGivesSameDistrict(t *testing.T) {
	t.Parallel()

	type district struct {
		Enterprises []domain.Enterprise
		People      []demodata.Person
		Projects    []demodata.ProjectSeed
		Texts       []string
	}
	build := func(seed uint64) district {
		r := seeded(seed)
		var d district
		d.Enterprises = demodata.Enterprises(r, 200)
		d.People = demodata.People(r, 50)
		d.Projects = demodata.Projects(r, d.Enterprises[0].Name, 5)
		for range 20 {
			s, f := demodata.VisitSummary(r)
			c, ti, desc := demodata.TicketIdea(r)
			d.Texts = append(d.Texts, s, f, c, ti, desc)
		}
		return d
	}

	if a, b := build(7), build(7); !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed gave different data")
	}
	if a, b := build(7), build(8); reflect.DeepEqual(a.Enterprises, b.Enterprises) {
		t.Fatal("different seeds gave the same enterprises")
	}
}

func TestEnterprisesHaveUniqueNamesAndCreditCodes(t *testing.T) {
	t.Parallel()

	ents := demodata.Enterprises(seeded(1), 20000)
	if len(ents) != 20000 {
		t.Fatalf("got %d enterprises, want 20000", len(ents))
	}
	names, codes := map[string]bool{}, map[string]bool{}
	for _, e := range ents {
		if names[e.Name] {
			t.Fatalf("name %s repeats", e.Name)
		}
		if codes[e.CreditCode] {
			t.Fatalf("credit code %s repeats", e.CreditCode)
		}
		names[e.Name], codes[e.CreditCode] = true, true
	}
}

func TestEnterprisesValidate(t *testing.T) {
	t.Parallel()

	for i, e := range demodata.Enterprises(seeded(2), 300) {
		before := e.CreditCode
		if err := e.Validate(); err != nil {
			t.Fatalf("enterprise %d (%s) does not validate: %v", i, e.Name, err)
		}
		if e.CreditCode != before || !strings.HasPrefix(e.CreditCode, "91") {
			t.Errorf("%s: credit code %s is not a normalized enterprise code", e.Name, before)
		}
		if !slices.Contains(demodata.Streets, e.Street) {
			t.Errorf("%s: street %q is not one of the district's", e.Name, e.Street)
		}
		if n := utf8.RuneCountInString(e.LegalRepresentative); n < 2 || n > 3 {
			t.Errorf("%s: legal representative %q is not a Chinese name", e.Name, e.LegalRepresentative)
		}
		if len(e.Tags) > 3 {
			t.Errorf("%s: %d tags, want at most 3", e.Name, len(e.Tags))
		}
		if len(e.Contacts) < 1 || len(e.Contacts) > 3 {
			t.Errorf("%s: %d contacts, want 1 to 3", e.Name, len(e.Contacts))
		}
		for _, c := range e.Contacts {
			if !mobile.MatchString(c.Phone) {
				t.Errorf("%s: contact phone %q is not a mobile number", e.Name, c.Phone)
			}
		}
	}
}

func TestEnterpriseIndustryMatchesName(t *testing.T) {
	t.Parallel()

	want := map[string]string{
		"软件": "I", "信息技术": "I", "生物医药": "C", "半导体": "C", "精密机械": "C", "食品": "C",
		"医疗器械": "C", "物流": "G", "建设工程": "E", "房地产开发": "K", "贸易": "F", "检测技术": "M",
	}
	seen := map[string]int{}
	count := map[string]int{}
	for _, e := range demodata.Enterprises(seeded(3), 5000) {
		count[e.Industry]++
		for word, industry := range want {
			if strings.Contains(e.Name, word) {
				seen[word]++
				if e.Industry != industry {
					t.Errorf("%s is in industry %s, want %s", e.Name, e.Industry, industry)
				}
			}
		}
		if e.Industry != "C" && slices.Contains(e.Tags, "小巨人") {
			t.Errorf("%s (industry %s) is tagged 小巨人", e.Name, e.Industry)
		}
		if slices.Contains(e.Tags, "上市公司") && !strings.HasSuffix(e.Name, "股份有限公司") {
			t.Errorf("%s is listed but not a company limited by shares", e.Name)
		}
	}
	for word := range want {
		if seen[word] == 0 {
			t.Errorf("no enterprise's name contains %s", word)
		}
	}
	for _, other := range []string{"I", "M", "F", "G", "E", "K", "D"} {
		if count["C"] <= count[other] {
			t.Errorf("%d manufacturers (C) but %d in %s; manufacturing should be most common", count["C"], count[other], other)
		}
	}
}

func TestEnterpriseKeyLevelsAndScales(t *testing.T) {
	t.Parallel()

	ents := demodata.Enterprises(seeded(4), 10000)
	levels, scales := map[domain.KeyLevel]int{}, map[domain.Scale]int{}
	for _, e := range ents {
		levels[e.KeyLevel]++
		scales[e.Scale]++
	}
	share := func(n int) float64 { return float64(n) / float64(len(ents)) }
	if s := share(levels[domain.KeyProvincial]); s < 0.12 || s > 0.18 {
		t.Errorf("%.2f provincial key enterprises, want about 0.15", s)
	}
	if s := share(levels[domain.KeyMunicipal]); s < 0.26 || s > 0.34 {
		t.Errorf("%.2f municipal key enterprises, want about 0.30", s)
	}
	for _, s := range []domain.Scale{domain.ScaleMedium, domain.ScaleSmall, domain.ScaleMicro} {
		if scales[domain.ScaleLarge] >= scales[s] {
			t.Errorf("%d large enterprises but %d %s; large ones should be fewest", scales[domain.ScaleLarge], scales[s], s)
		}
	}
}

func TestPeopleAreUnique(t *testing.T) {
	t.Parallel()

	people := demodata.People(seeded(5), 5000)
	names, phones := map[string]bool{}, map[string]bool{}
	for _, p := range people {
		if names[p.Name] || phones[p.Phone] {
			t.Fatalf("%s %s repeats", p.Name, p.Phone)
		}
		names[p.Name], phones[p.Phone] = true, true
		if n := utf8.RuneCountInString(p.Name); n < 2 || n > 3 {
			t.Errorf("name %q is not 2 or 3 characters", p.Name)
		}
		if !mobile.MatchString(p.Phone) {
			t.Errorf("phone %q is not a mobile number", p.Phone)
		}
	}
}

func TestProjectKindsMatchNames(t *testing.T) {
	t.Parallel()

	r := seeded(6)
	kinds := map[string]int{}
	// A name unlike the generated ones still gets a manufacturer's projects.
	owners := append([]domain.Enterprise{{Name: "某某有限公司", Industry: "C"}}, demodata.Enterprises(r, 400)...)
	for _, owner := range owners {
		name, industry := owner.Name, owner.Industry
		projects := demodata.Projects(r, name, 8)
		seen := map[string]bool{}
		for _, p := range projects {
			if seen[p.Name] {
				t.Errorf("%s has two projects named %s", name, p.Name)
			}
			seen[p.Name] = true
			want := demodata.KindNew
			switch {
			case strings.Contains(p.Name, "扩建"):
				want = demodata.KindExpansion
			case strings.Contains(p.Name, "技术改造"), strings.Contains(p.Name, "技改"):
				want = demodata.KindRenovation
			}
			if p.Kind != want {
				t.Errorf("%s is %s, want %s", p.Name, p.Kind, want)
			}
			kinds[p.Kind]++
			if p.Industry != industry {
				t.Errorf("%s of %s is in industry %s, want %s", p.Name, name, p.Industry, industry)
			}
			if p.PlannedInvestment < 2000 || p.PlannedInvestment > 500000 {
				t.Errorf("%s plans %.2f 万元, want 2,000 to 500,000", p.Name, p.PlannedInvestment)
			}
			if p.Location == "" {
				t.Errorf("%s has no location", p.Name)
			}
		}
	}
	for _, k := range []string{demodata.KindNew, demodata.KindExpansion, demodata.KindRenovation} {
		if kinds[k] == 0 {
			t.Errorf("no %s projects", k)
		}
	}
}

func TestTicketIdeasAndVisitFindingsAreVaried(t *testing.T) {
	t.Parallel()

	r := seeded(7)
	categories, titles, findings := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for range 3000 {
		c, title, desc := demodata.TicketIdea(r)
		if !slices.Contains(demodata.TicketCategories, c) {
			t.Fatalf("category %q is not one of TicketCategories", c)
		}
		if title == "" || desc == "" || strings.ContainsAny(title+desc, "{}") {
			t.Fatalf("ticket idea %q / %q is incomplete", title, desc)
		}
		categories[c], titles[title] = true, true

		summary, f := demodata.VisitSummary(r)
		if summary == "" || strings.ContainsAny(summary+f, "{}") {
			t.Fatalf("visit summary %q / %q is incomplete", summary, f)
		}
		for _, one := range strings.Split(strings.TrimSuffix(f, "。"), "；") {
			findings[one] = true
		}
	}
	if len(categories) != len(demodata.TicketCategories) {
		t.Errorf("%d of %d categories used", len(categories), len(demodata.TicketCategories))
	}
	if len(titles) < 25 {
		t.Errorf("%d distinct ticket titles, want at least 25", len(titles))
	}
	if len(findings) < 20 {
		t.Errorf("%d distinct findings, want at least 20", len(findings))
	}
}

func BenchmarkEnterprises20000(b *testing.B) {
	for b.Loop() {
		demodata.Enterprises(seeded(1), 20000)
	}
}
