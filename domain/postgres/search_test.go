package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"steward/domain"
	"steward/domain/postgres"
	"steward/domain/postgres/pgtest"
)

// TestEnterpriseSearchByFragment: the register search served by the bigram index (migration
// 0022) still finds every substring of a name — of two Chinese characters, of one, of Latin
// letters in any case — and the initials and credit-code prefixes, and never a name that merely
// holds the fragment's bigrams apart.
func TestEnterpriseSearchByFragment(t *testing.T) {
	t.Parallel()
	ctx := domain.WithActor(context.Background(), domain.System)
	s := postgres.NewEnterpriseService(pgtest.New(t))
	names := []string{"中国电力苏州供电公司", "苏州中国银行", "国中国际贸易有限公司", "中国国中科技有限公司", "ABB（中国）工程有限公司", "苏州工业园区物流有限公司"}
	for i, n := range names {
		e := newEnterprise(200 + i)
		e.Name = n
		if err := s.CreateEnterprise(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	find := func(q string) []string {
		t.Helper()
		l, err := s.Enterprises(ctx, domain.EnterpriseFilter{Q: q}, domain.Page{Limit: 50})
		if err != nil {
			t.Fatalf("q=%s: %v", q, err)
		}
		var got []string
		for _, e := range l.Items {
			got = append(got, e.Name)
		}
		slices.Sort(got)
		return got
	}
	want := func(q string, names ...string) {
		t.Helper()
		slices.Sort(names)
		if got := find(q); !slices.Equal(got, names) {
			t.Errorf("q=%s found %q, want %q", q, got, names)
		}
	}
	want("中国", "中国电力苏州供电公司", "苏州中国银行", "国中国际贸易有限公司", "中国国中科技有限公司", "ABB（中国）工程有限公司")
	want("电力苏州", "中国电力苏州供电公司")
	// 中国中 has the bigrams 中国 and 国中, which 中国国中科技 holds apart but not in a row.
	want("中国中")
	want("国中国", "国中国际贸易有限公司")
	want("银", "苏州中国银行")
	want("abb", "ABB（中国）工程有限公司")
	want("Abb（中", "ABB（中国）工程有限公司")
	want("有限公司", "国中国际贸易有限公司", "中国国中科技有限公司", "ABB（中国）工程有限公司", "苏州工业园区物流有限公司")
	want("zgdl", "中国电力苏州供电公司")                 // initials
	want(creditCode(205)[:17], "苏州工业园区物流有限公司") // credit-code prefix
	want("不存在")
}

// TestEnterpriseSearchWalkIsExact: a fragment common enough to fill a page is answered by
// walking the list's order, a rare one by the bigram index; page after page, in either order,
// both give exactly the enterprises a plain substring test over the whole register gives.
func TestEnterpriseSearchWalkIsExact(t *testing.T) {
	t.Parallel()
	ctx := domain.WithActor(context.Background(), domain.System)
	db := pgtest.New(t)
	s := postgres.NewEnterpriseService(db)
	postgres.SetSearchWalk(s, 30) // so that a page of 5 needs a common fragment to fill it
	words := []string{"工业", "电力", "科技", "物流"}
	for i := 0; i < 60; i++ {
		e := newEnterprise(300 + i)
		e.Name = fmt.Sprintf("苏州%s%s有限公司%d", words[i%3], []string{"", "稀有"}[boolInt(i%17 == 0)], i)
		switch {
		case i < 30:
			// Common, but the oldest: walked for, not found within the walk, found by the index.
			e.Name = fmt.Sprintf("老字号%s商行%d", words[i%4], i)
		case i%7 == 0:
			e.Name = fmt.Sprintf("昆山%s贸易%d", words[3], i)
		}
		if err := s.CreateEnterprise(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	// The statistics the choice between walking and the index reads (the owner's to gather).
	if _, err := pgtest.Owner(t, db).SQL.ExecContext(ctx, "ANALYZE enterprises"); err != nil {
		t.Fatal(err)
	}
	for _, sort := range []domain.Sort{"", domain.SortByName} {
		all, err := s.Enterprises(ctx, domain.EnterpriseFilter{Sort: sort}, domain.Page{Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"工业", "苏州", "有限公司", "稀有", "物流", "昆山物流", "州电", "老字号", "字号工业", "不存在"} {
			var want []string
			for _, e := range all.Items {
				if strings.Contains(e.Name, q) {
					want = append(want, e.ID)
				}
			}
			for _, limit := range []int{1, 5, 50} {
				var got []string
				cursor := ""
				for pages := 0; ; pages++ {
					l, err := s.Enterprises(ctx, domain.EnterpriseFilter{Q: q, Sort: sort}, domain.Page{Limit: limit, Cursor: cursor})
					if err != nil {
						t.Fatalf("q=%s sort=%q limit=%d: %v", q, sort, limit, err)
					}
					for _, e := range l.Items {
						got = append(got, e.ID)
					}
					if l.NextCursor == "" || pages > 100 {
						break
					}
					cursor = l.NextCursor
				}
				if !slices.Equal(got, want) {
					t.Errorf("q=%s sort=%q limit=%d: %d rows %v, want %d %v", q, sort, limit, len(got), got, len(want), want)
				}
			}
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
