package domain_test

import (
	"slices"
	"strings"
	"testing"

	"steward/domain"
)

func TestCategoryResolveLimit(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		resolveDays, normal, urgent int
	}{
		{resolveDays: 20, normal: 20, urgent: 10}, // 基础设施
		{resolveDays: 15, normal: 15, urgent: 8},  // 用地, 用电 …: half, rounded up
		{resolveDays: 10, normal: 10, urgent: 5},  // 审批许可
		{resolveDays: 5, normal: 5, urgent: 3},    // 其他
		{resolveDays: 3, normal: 3, urgent: 2},    // 政策咨询
		{resolveDays: 1, normal: 1, urgent: 1},    // never less than a day
	} {
		c := &domain.Category{SignDays: 1, ResolveDays: tt.resolveDays}
		if got := c.ResolveLimit(false); got != tt.normal {
			t.Errorf("ResolveDays %d: normal limit %d, want %d", tt.resolveDays, got, tt.normal)
		}
		if got := c.ResolveLimit(true); got != tt.urgent {
			t.Errorf("ResolveDays %d: urgent limit %d, want %d", tt.resolveDays, got, tt.urgent)
		}
	}
}

func TestCategoryValidate(t *testing.T) {
	t.Parallel()
	valid := func() domain.Category {
		return domain.Category{Name: " 用电 ", SignDays: 1, ResolveDays: 15, Active: true}
	}
	for _, tt := range []struct {
		name   string
		change func(*domain.Category)
		fields []string
	}{
		{name: "Valid", change: func(*domain.Category) {}},
		{name: "LimitsAtTheirBounds", change: func(c *domain.Category) { c.SignDays, c.ResolveDays = domain.MaxSignDays, domain.MaxResolveDays }},
		{name: "BlankName", change: func(c *domain.Category) { c.Name = "  " }, fields: []string{"name"}},
		{name: "LongName", change: func(c *domain.Category) { c.Name = strings.Repeat("类", 51) }, fields: []string{"name"}},
		{name: "LongDescription", change: func(c *domain.Category) { c.Description = strings.Repeat("说", 501) }, fields: []string{"description"}},
		{name: "ZeroSignDays", change: func(c *domain.Category) { c.SignDays = 0 }, fields: []string{"sign_days"}},
		{name: "SignDaysOverAMonth", change: func(c *domain.Category) { c.SignDays = 31 }, fields: []string{"sign_days"}},
		{name: "ZeroResolveDays", change: func(c *domain.Category) { c.ResolveDays = 0 }, fields: []string{"resolve_days"}},
		{name: "ResolveDaysOverLimit", change: func(c *domain.Category) { c.ResolveDays = 121 }, fields: []string{"resolve_days"}},
		{name: "EveryBadFieldAtOnce", change: func(c *domain.Category) { c.Name, c.SignDays, c.ResolveDays = "", -1, -1 },
			fields: []string{"name", "sign_days", "resolve_days"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := valid()
			tt.change(&c)
			err := c.Validate()
			var got []string
			if err != nil {
				for _, f := range err.(*domain.Error).Fields {
					got = append(got, f.Field)
				}
			}
			if !slices.Equal(got, tt.fields) {
				t.Fatalf("invalid fields %v, want %v (err %v)", got, tt.fields, err)
			}
			if err == nil && c.Name != "用电" {
				t.Fatalf("name %q is not trimmed", c.Name)
			}
		})
	}
}

func TestCategoryApply(t *testing.T) {
	t.Parallel()
	c := &domain.Category{Name: "用电", DefaultDepartmentID: "0192a0c4-0000-7000-8000-000000000001", SignDays: 1, ResolveDays: 15, Active: true}
	none, days, inactive := "", 2, false
	if err := c.Apply(domain.CategoryPatch{DefaultDepartmentID: &none, SignDays: &days, Active: &inactive}); err != nil {
		t.Fatal(err)
	}
	if c.DefaultDepartmentID != "" || c.SignDays != 2 || c.ResolveDays != 15 || c.Active || c.Name != "用电" {
		t.Fatalf("after patch %+v", c)
	}
	zero := 0
	if err := c.Apply(domain.CategoryPatch{ResolveDays: &zero}); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("resolve_days 0: err = %v, want validation_failed", err)
	}
}
