package calendar_test

import (
	"encoding/json"
	"testing"
	"time"
	_ "time/tzdata"

	"steward/domain/calendar"
)

func TestParseDate(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name, in string
		want     calendar.Date
		wantErr  bool
	}{
		{name: "Ordinary", in: "2026-02-14", want: calendar.Date{Year: 2026, Month: time.February, Day: 14}},
		{name: "LeapDay", in: "2028-02-29", want: calendar.Date{Year: 2028, Month: time.February, Day: 29}},
		{name: "NoLeapDayIn2026", in: "2026-02-29", wantErr: true},
		{name: "DayThatDoesNotExist", in: "2026-02-30", wantErr: true},
		{name: "SingleDigitMonth", in: "2026-2-14", wantErr: true},
		{name: "WithTime", in: "2026-02-14T00:00:00Z", wantErr: true},
		{name: "ChineseForm", in: "2026年2月14日", wantErr: true},
		{name: "Empty", in: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := calendar.ParseDate(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ParseDate(%q) = %v, want an error", tt.in, got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseDate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
			if got.String() != tt.in {
				t.Errorf("ParseDate(%q).String() = %q, want the input back", tt.in, got.String())
			}
		})
	}
}

func TestDateOfReckonsInShanghai(t *testing.T) {
	t.Parallel()

	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   time.Time
		want string
	}{
		{name: "UTCEveningIsNextMorningInShanghai", in: time.Date(2026, 2, 13, 16, 0, 0, 0, time.UTC), want: "2026-02-14"},
		{name: "LastSecondBeforeShanghaiMidnight", in: time.Date(2026, 2, 13, 15, 59, 59, 0, time.UTC), want: "2026-02-13"},
		{name: "ShanghaiMidnight", in: time.Date(2026, 10, 1, 0, 0, 0, 0, calendar.Location), want: "2026-10-01"},
		{name: "NewYorkNoonIsShanghaiMidnight", in: time.Date(2026, 9, 30, 12, 0, 0, 0, newYork), want: "2026-10-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := calendar.DateOf(tt.in).String(); got != tt.want {
				t.Fatalf("DateOf(%v) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestDateArithmetic(t *testing.T) {
	t.Parallel()

	d := calendar.Date{Year: 2026, Month: time.December, Day: 31}
	if got := d.AddDays(1).String(); got != "2027-01-01" {
		t.Errorf("%v + 1 day = %s, want 2027-01-01", d, got)
	}
	if got := d.AddDays(-365).String(); got != "2025-12-31" {
		t.Errorf("%v - 365 days = %s, want 2025-12-31", d, got)
	}
	if got := d.Weekday(); got != time.Thursday {
		t.Errorf("%v is a %v, want Thursday", d, got)
	}
	if !d.AddDays(-1).Before(d) || !d.AddDays(1).After(d) || d.Compare(d) != 0 {
		t.Errorf("ordering around %v is wrong", d)
	}
	if (calendar.Date{Year: 2026, Month: time.February, Day: 30}).IsValid() || (calendar.Date{}).IsValid() {
		t.Error("2026-02-30 and the zero Date report valid")
	}
	if got := d.At(18, 0).UTC().Format(time.RFC3339); got != "2026-12-31T10:00:00Z" {
		t.Errorf("%v at 18:00 Beijing time = %s, want 2026-12-31T10:00:00Z", d, got)
	}
}

func TestDateIsAStringInJSON(t *testing.T) {
	t.Parallel()

	in := struct{ Date calendar.Date }{Date: calendar.Date{Year: 2026, Month: time.October, Day: 10}}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"Date":"2026-10-10"}` {
		t.Fatalf("json.Marshal = %s", b)
	}
	var out struct{ Date calendar.Date }
	if err := json.Unmarshal(b, &out); err != nil || out != in {
		t.Fatalf("json.Unmarshal(%s) = %v, %v; want %v", b, out, err, in)
	}
	if err := json.Unmarshal([]byte(`{"Date":"2026-13-01"}`), &out); err == nil {
		t.Fatal("json.Unmarshal accepted month 13")
	}
}
