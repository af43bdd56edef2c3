package postgres_test

import (
	"context"
	"slices"
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
