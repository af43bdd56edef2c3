package api

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"steward/domain"
)

type calendarYearBody struct {
	Year     int      `json:"year" example:"2026"`
	Holidays []string `json:"holidays" format:"date" doc:"Statutory days off (法定节假日), sorted"`
	Workdays []string `json:"workdays" format:"date" doc:"Make-up working days (调休上班), sorted"`
	Source   string   `json:"source" enum:"statutory,override" doc:"statutory: the State Council's arrangement; override: an administrator's"`
	Covered  bool     `json:"covered" doc:"false: the arrangement of this year is unknown and only weekends are days off; an administrator should enter it"`
}

func calendarDates(ts []time.Time) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = date(t)
	}
	return out
}

func toCalendarYearBody(y *domain.CalendarYear) calendarYearBody {
	return calendarYearBody{Year: y.Year, Holidays: calendarDates(y.Holidays), Workdays: calendarDates(y.Workdays),
		Source: y.Source, Covered: y.Covered}
}

// parseCalendarDates parses a list of YYYY-MM-DD dates into v, naming a bad one by its index
// (holidays[2]).
func parseCalendarDates(v *domain.Validation, field string, ss []string) []time.Time {
	out := make([]time.Time, 0, len(ss))
	for i, s := range ss {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			v.Add(fmt.Sprintf("%s[%d]", field, i), "must be a date YYYY-MM-DD")
			continue
		}
		out = append(out, t)
	}
	return out
}

type workingDayBody struct {
	Date string `json:"date" format:"date"`
}

func registerCalendar(api huma.API, svc domain.CalendarService) {
	tags := []string{"Calendar"}
	register(api, huma.Operation{
		OperationID: "get-calendar-year", Method: http.MethodGet, Path: Prefix + "/calendar/{year}", Tags: tags,
		Summary: "The holidays and make-up working days in force for a year",
		Errors:  []int{http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		Year int `path:"year" minimum:"1" maximum:"9999"`
	}) (*struct{ Body calendarYearBody }, error) {
		y, err := svc.CalendarYear(ctx, in.Year)
		if err != nil {
			return nil, err
		}
		return &struct{ Body calendarYearBody }{toCalendarYearBody(y)}, nil
	})

	register(api, huma.Operation{
		OperationID: "put-calendar-year", Method: http.MethodPut, Path: Prefix + "/calendar/{year}", Tags: tags,
		Summary:     "Override the holiday arrangement of a whole year",
		Description: "Replaces the statutory arrangement (or an earlier override) of the year; due dates computed from now on use it.",
		Errors:      []int{http.StatusConflict, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		Year int `path:"year" minimum:"1" maximum:"9999"`
		Body struct {
			Holidays []string `json:"holidays" format:"date" maxItems:"366" doc:"Statutory days off (法定节假日) of the year"`
			Workdays []string `json:"workdays" format:"date" maxItems:"366" doc:"Make-up working days (调休上班) of the year"`
		}
	}) (*struct{ Body calendarYearBody }, error) {
		var v domain.Validation
		holidays := parseCalendarDates(&v, "holidays", in.Body.Holidays)
		workdays := parseCalendarDates(&v, "workdays", in.Body.Workdays)
		if err := v.Err(); err != nil {
			return nil, err
		}
		y, err := svc.SetCalendarYear(ctx, domain.CalendarYear{Year: in.Year, Holidays: holidays, Workdays: workdays})
		if err != nil {
			return nil, err
		}
		return &struct{ Body calendarYearBody }{toCalendarYearBody(y)}, nil
	})

	register(api, huma.Operation{
		OperationID: "add-working-days", Method: http.MethodGet, Path: Prefix + "/calendar/add-working-days", Tags: tags,
		Summary: "The n-th working day after a date (the date itself is not counted)",
		Errors:  []int{http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		From string `query:"from" format:"date" required:"true" example:"2026-09-30"`
		Days int    `query:"days" minimum:"0" maximum:"365" required:"true" example:"1"`
	}) (*struct{ Body workingDayBody }, error) {
		from, err := time.Parse(time.DateOnly, in.From)
		if err != nil {
			var v domain.Validation
			v.Add("from", "must be a date YYYY-MM-DD")
			return nil, v.Err()
		}
		d, err := svc.AddWorkingDays(ctx, from, in.Days)
		if err != nil {
			return nil, err
		}
		return &struct{ Body workingDayBody }{workingDayBody{Date: date(d)}}, nil
	})
}
