package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"steward/domain"
)

type notificationBody struct {
	ID        string     `json:"id" format:"uuid"`
	Kind      string     `json:"kind" example:"ticket_due" doc:"What it is about: ticket_warn, ticket_due (督办), ticket_escalate (通报), ticket_assigned, rating_reminder, ticket_progress (my request moved: enterprise users), visit_due, leader_digest, project_red, account_locked (failed logins locked my account), …"`
	Title     string     `json:"title" example:"诉求 SQ-2026-000123 明天到期"`
	Body      string     `json:"body"`
	Link      string     `json:"link" example:"/tickets/0192a0c4-0000-7000-8000-000000000000" doc:"A path in the web app"`
	Urgent    bool       `json:"urgent"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at" doc:"When I read it; null while unread"`
}

func toNotificationBody(n *domain.Notification) notificationBody {
	return notificationBody{ID: n.ID, Kind: string(n.Kind), Title: n.Title, Body: n.Body, Link: n.Link,
		Urgent: n.Urgent, CreatedAt: n.CreatedAt, ReadAt: n.ReadAt}
}

// notificationListBody is a list page (listBody) with the unread count.
type notificationListBody struct {
	Items      []notificationBody `json:"items"`
	NextCursor *string            `json:"next_cursor" doc:"Pass as cursor for the next page; null on the last page"`
	Total      *int               `json:"total,omitempty" doc:"Every matching notification; only with with_total=true"`
	Unread     int                `json:"unread" doc:"How many of my notifications are unread, on every page"`
}

// Event streams (GET /notifications/stream).
const (
	// streamHeartbeat keeps proxies and load balancers from closing an idle stream, and is when
	// a stream also looks for anything a lost wake-up would have hidden.
	streamHeartbeat = 25 * time.Second
	// streamLifetime ends a stream after a while; the browser reconnects at once with
	// Last-Event-ID, which checks the session again and spreads streams over the processes.
	streamLifetime = 15 * time.Minute
	// streamRetry is the reconnection delay the stream asks of the browser, in milliseconds.
	streamRetry = 3000
	// streamWriteTimeout is how long a write may wait for a client that does not read.
	streamWriteTimeout = 10 * time.Second
	// streamBatch is how many notifications a stream reads at a time.
	streamBatch = 100
)

// CloseStreams ends every open event stream, so that http.Server.Shutdown, which waits for
// running requests, does not wait for streams that would never end by themselves. The program
// calls it when shutdown begins (http.Server.RegisterOnShutdown).
func (s *Server) CloseStreams() { s.closeStreams() }

func (s *Server) registerNotifications(api huma.API) {
	svc, feed := s.cfg.Notifications, s.cfg.NotificationFeed
	tags := []string{"Notifications"}
	register(api, huma.Operation{
		OperationID: "list-notifications", Method: http.MethodGet, Path: Prefix + "/notifications", Tags: tags,
		Summary: "My notifications, newest first, with how many are unread",
	}, func(ctx context.Context, in *struct {
		ListParams
		Unread bool `query:"unread" doc:"Only the unread ones"`
	}) (*struct{ Body notificationListBody }, error) {
		l, err := svc.Notifications(ctx, in.Unread, in.page())
		if err != nil {
			return nil, err
		}
		unread, err := svc.Unread(ctx)
		if err != nil {
			return nil, err
		}
		page := toListBody(l, toNotificationBody)
		return &struct{ Body notificationListBody }{notificationListBody{Items: page.Items, NextCursor: page.NextCursor,
			Total: page.Total, Unread: unread}}, nil
	})

	register(api, huma.Operation{
		OperationID: "mark-notification-read", Method: http.MethodPost, Path: Prefix + "/notifications/{id}/read", Tags: tags,
		Summary: "Mark one of my notifications read", DefaultStatus: http.StatusNoContent,
		Description: "Marking it again changes nothing. Another user's notification is not found.",
		Errors:      []int{http.StatusNotFound},
	}, func(ctx context.Context, in *struct {
		ID string `path:"id"`
	}) (*struct{}, error) {
		return nil, svc.MarkRead(ctx, in.ID)
	})

	register(api, huma.Operation{
		OperationID: "mark-all-notifications-read", Method: http.MethodPost, Path: Prefix + "/notifications/read-all", Tags: tags,
		Summary: "Mark all my notifications read",
	}, func(ctx context.Context, _ *struct{}) (*struct {
		Body struct {
			Updated int `json:"updated" doc:"How many were unread"`
		}
	}, error) {
		n, err := svc.MarkAllRead(ctx)
		if err != nil {
			return nil, err
		}
		out := &struct {
			Body struct {
				Updated int `json:"updated" doc:"How many were unread"`
			}
		}{}
		out.Body.Updated = n
		return out, nil
	})

	register(api, huma.Operation{
		OperationID: "stream-notifications", Method: http.MethodGet, Path: Prefix + "/notifications/stream", Tags: tags,
		Summary: "My new notifications as they arrive (Server-Sent Events)",
		Description: "A `text/event-stream` (use the browser's EventSource) with one `notification` event per new " +
			"notification of mine, whichever server process recorded it. The event's `id` is the notification's id " +
			"and its `data` a notification as GET /notifications lists it. A comment line is sent every " +
			strconv.Itoa(int(streamHeartbeat/time.Second)) + " seconds to keep the connection open. The stream ends " +
			"after " + strconv.Itoa(int(streamLifetime/time.Minute)) + " minutes, when the server shuts down, and within a " +
			"minute of its session or token ending (logout, expiry, a disabled account, a password change); " +
			"the browser then reconnects by itself, sending the id of the last event it received as `Last-Event-ID`, " +
			"and gets the notifications it missed first. Without Last-Event-ID the stream starts with what arrives " +
			"after it opened: read GET /notifications for what came before.",
		Responses: eventStreamResponses(api, "notification", notificationBody{},
			"My notifications from now on (or after Last-Event-ID), one event each"),
		Errors: []int{http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		LastEventID string `header:"Last-Event-ID" format:"uuid" doc:"The id of the last event received; the stream sends what came after it first"`
	}) (*huma.StreamResponse, error) {
		a := domain.ActorFrom(ctx)
		// Subscribe before reading where to start, so that nothing committed in between is missed.
		wake, stop := feed.Subscribe(a.UserID)
		cur := &streamCursor{after: in.LastEventID, sent: map[string]time.Time{}}
		if in.LastEventID == "" {
			latest, err := feed.Latest(ctx)
			if err != nil {
				stop()
				return nil, err
			}
			cur.after = latest
		}
		return &huma.StreamResponse{Body: func(hctx huma.Context) {
			defer stop()
			s.stream(hctx, feed, cur, wake)
		}}, nil
	})
}

// stream writes the event stream until the client goes away, the stream has lived its time, or
// the server shuts down. Every wake-up (and every heartbeat, in case a wake-up was lost) reads
// the notifications the stream has not sent yet, so none is lost between wake-ups.
func (s *Server) stream(hctx huma.Context, feed domain.NotificationFeed, cur *streamCursor, wake <-chan struct{}) {
	ctx := hctx.Context()
	w, ok := hctx.BodyWriter().(http.ResponseWriter)
	if !ok {
		return
	}
	hctx.SetHeader("Content-Type", "text/event-stream")
	hctx.SetHeader("X-Accel-Buffering", "no") // nginx: pass events on at once
	hctx.SetStatus(http.StatusOK)
	es := &eventStream{w: w, rc: http.NewResponseController(w)}
	defer func() { _ = es.rc.SetWriteDeadline(time.Time{}) }()
	if es.write("retry: "+strconv.Itoa(streamRetry)+"\n: open\n\n") != nil || es.rc.Flush() != nil {
		return
	}
	heartbeat := time.NewTicker(streamHeartbeat)
	defer heartbeat.Stop()
	lifetime := time.NewTimer(streamLifetime)
	defer lifetime.Stop()
	recheck := time.NewTicker(s.cfg.StreamRecheck)
	defer recheck.Stop()
	// A resuming client gets what it missed at once; a new one what arrives from now on.
	catchUp := cur.after != ""
	for {
		if catchUp {
			if err := es.catchUp(ctx, feed, cur); err != nil {
				if ctx.Err() == nil {
					if info := infoFrom(ctx); info != nil {
						info.log.Warn("notification stream ended", "err", err)
					}
				}
				return
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-s.streams.Done():
			return
		case <-lifetime.C:
			return
		case <-recheck.C:
			// The stream outlives no credential: once the session or token is gone (logout,
			// expiry, a disabled account, a password change), so is the stream, and the
			// browser's reconnection gets 401.
			if info := infoFrom(ctx); info == nil || s.stillValid(ctx, info) != nil {
				return
			}
		case <-wake:
			catchUp = true
		case <-heartbeat.C:
			if es.write(": heartbeat\n\n") != nil || es.rc.Flush() != nil {
				return
			}
			catchUp = true
		}
	}
}

// stillValid checks the stream's credential again, as a request that is not the user at work.
func (s *Server) stillValid(ctx context.Context, info *requestInfo) error {
	a, err := s.credential(domain.Passive(ctx), info)
	if err == nil && (a == nil || !a.LoggedIn()) {
		err = domain.Errorf(domain.EUNAUTHORIZED, "the credential is gone")
	}
	return err
}

// streamCursor is where an event stream stands: see domain.NotificationWindow.
type streamCursor struct {
	after  string               // the client had this one and everything before
	newest time.Time            // when the newest notification sent was created
	sent   map[string]time.Time // notifications sent within the lookback, by creation time
}

func (c *streamCursor) window() domain.NotificationWindow {
	w := domain.NotificationWindow{After: c.after}
	if !c.newest.IsZero() {
		w.Since = c.newest.Add(-domain.NotificationLookback)
		for id := range c.sent {
			w.Skip = append(w.Skip, id)
		}
	}
	return w
}

func (c *streamCursor) mark(n *domain.Notification) {
	c.sent[n.ID] = n.CreatedAt
	if n.CreatedAt.After(c.newest) {
		c.newest = n.CreatedAt
	}
	since := c.newest.Add(-domain.NotificationLookback)
	for id, at := range c.sent {
		if at.Before(since) {
			delete(c.sent, id)
		}
	}
}

// eventStream writes Server-Sent Events.
type eventStream struct {
	w  io.Writer
	rc *http.ResponseController
}

// write writes s, giving up when the client has not taken it within streamWriteTimeout.
func (es *eventStream) write(s string) error {
	_ = es.rc.SetWriteDeadline(time.Now().Add(streamWriteTimeout)) // where unsupported, writes just block
	_, err := io.WriteString(es.w, s)
	return err
}

// catchUp sends the notifications the stream has not sent yet.
func (es *eventStream) catchUp(ctx context.Context, feed domain.NotificationFeed, cur *streamCursor) error {
	for {
		ns, err := feed.NewNotifications(ctx, cur.window(), streamBatch)
		if err != nil {
			return err
		}
		for i := range ns {
			data, err := json.Marshal(toNotificationBody(&ns[i]))
			if err != nil {
				return err
			}
			if err := es.write("id: " + ns[i].ID + "\nevent: notification\ndata: " + string(data) + "\n\n"); err != nil {
				return err
			}
			cur.mark(&ns[i])
		}
		if len(ns) > 0 {
			if err := es.rc.Flush(); err != nil {
				return err
			}
		}
		if len(ns) < streamBatch {
			return nil
		}
	}
}

// eventStreamResponses documents a text/event-stream response whose events are all named event
// and carry data like sample as JSON.
func eventStreamResponses(api huma.API, event string, sample any, description string) map[string]*huma.Response {
	data := api.OpenAPI().Components.Schemas.Schema(reflect.TypeOf(sample), true, event)
	ev := &huma.Schema{
		Title: "Event " + event, Type: huma.TypeObject, Required: []string{"id", "event", "data"},
		Properties: map[string]*huma.Schema{
			"id":    {Type: huma.TypeString, Description: "The event id; sent back as Last-Event-ID on reconnection"},
			"event": {Type: huma.TypeString, Enum: []any{event}, Description: "The event name"},
			"data":  data,
			"retry": {Type: huma.TypeInteger, Description: "How long to wait before reconnecting, in milliseconds"},
		},
	}
	return map[string]*huma.Response{"200": {Description: description, Content: map[string]*huma.MediaType{
		"text/event-stream": {Schema: &huma.Schema{
			Title:       "Server-Sent Events",
			Description: "Events in the text/event-stream format; each item is one event, its data JSON. Lines starting with a colon are comments (heartbeats).",
			Type:        huma.TypeArray, Items: ev,
		}},
	}}}
}

// RiverUIPath is where River's web UI (the job queue) is mounted, for administrators.
const RiverUIPath = "/admin/river"

// mountRiverUI serves River UI to administrators who logged in with a session, and answers
// everyone else — and every caller when River UI is not configured — with 404, so that the path
// tells nobody else anything.
func (s *Server) mountRiverUI(mux *http.ServeMux) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if info := infoFrom(r.Context()); info != nil {
			info.operation = "river-ui"
		}
		a := domain.ActorFrom(r.Context())
		if s.cfg.RiverUI == nil || a.SessionToken == "" || !domain.Can(a, domain.ActUpdate, domain.ResJobQueue) {
			writeProblem(w, r, &Problem{Title: "Not Found", Status: http.StatusNotFound, Code: domain.ENOTFOUND,
				Detail: "no such page: " + r.URL.Path})
			return
		}
		s.cfg.RiverUI.ServeHTTP(w, r)
	})
	mux.Handle(RiverUIPath+"/", h)
	mux.Handle(RiverUIPath, h)
}
