package domain

import "context"

// Job argument types are plain values declared here, so that storage can enqueue them in the
// transaction of the change they follow from and jobs can work them, neither importing the other.

// SessionSweepArgs asks for expired sessions to be removed (periodic).
type SessionSweepArgs struct{}

// Kind names the job.
func (SessionSweepArgs) Kind() string { return "session_sweep" }

// SessionSweeper removes sessions past their idle or absolute timeout.
type SessionSweeper interface {
	// EndExpiredSessions deletes expired sessions and returns how many.
	EndExpiredSessions(ctx context.Context) (int, error)
}

// ImportArgs asks for an uploaded file to be imported (inserted with the upload). The JSON name
// is fixed because queued jobs outlive a rename of the field.
type ImportArgs struct {
	ImportID string `json:"import_id"`
}

// Kind names the job.
func (ImportArgs) Kind() string { return "import" }
