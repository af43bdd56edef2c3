package demodata

import (
	"math/rand/v2"
	"sort"
	"strconv"
)

// table picks items with given weights.
type table[T any] struct {
	items []T
	cum   []int // cum[i] is the sum of the weights of items[0..i]
}

func newTable[T any](items []T, weight func(T) int) table[T] {
	t := table[T]{items: items, cum: make([]int, len(items))}
	sum := 0
	for i, it := range items {
		sum += weight(it)
		t.cum[i] = sum
	}
	return t
}

func (t table[T]) pick(r *rand.Rand) T {
	n := r.IntN(t.cum[len(t.cum)-1])
	return t.items[sort.SearchInts(t.cum, n+1)]
}

// choice is a value with a weight, for the small tables written inline.
type choice[T any] struct {
	v T
	w int
}

func weighted[T any](cs ...choice[T]) table[T] {
	t := table[T]{items: make([]T, len(cs)), cum: make([]int, len(cs))}
	sum := 0
	for i, c := range cs {
		sum += c.w
		t.items[i], t.cum[i] = c.v, sum
	}
	return t
}

func pick[T any](r *rand.Rand, s []T) T {
	return s[r.IntN(len(s))]
}

// between returns an integer in [lo, hi].
func between(r *rand.Rand, lo, hi int) int {
	return lo + r.IntN(hi-lo+1)
}

// maxAttempts bounds the search for a value not yet used; the lists are large enough that it is
// reached only when far more values are asked for than a district could hold.
const maxAttempts = 10000

// unique calls gen until it returns a value not in seen, records it and returns it.
func unique(seen map[string]bool, what string, gen func() string) string {
	for range maxAttempts {
		if s := gen(); !seen[s] {
			seen[s] = true
			return s
		}
	}
	panic("demodata: ran out of unique " + what + " after " + strconv.Itoa(len(seen)))
}

// mobilePrefixes are the first three digits of Chinese mobile numbers in common use.
var mobilePrefixes = []string{
	"130", "131", "132", "133", "135", "136", "137", "138", "139",
	"150", "151", "152", "153", "155", "156", "157", "158", "159",
	"166", "173", "175", "176", "177", "180", "181", "182", "183",
	"185", "186", "187", "188", "189", "191", "198", "199",
}

// mobile returns an 11-digit mobile number.
func mobile(r *rand.Rand) string {
	b := make([]byte, 0, 11)
	b = append(b, pick(r, mobilePrefixes)...)
	for range 8 {
		b = append(b, byte('0'+r.IntN(10)))
	}
	return string(b)
}
