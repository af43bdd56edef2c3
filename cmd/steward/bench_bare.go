package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"steward/domain/postgres"
)

// bareHandler is the baseline the officer inbox is compared with: net/http and pgx running the
// SQL bun generated for it (sqls[i] for the i-th client's officer), each row written as a JSON
// object of its columns' text — the least work a Go handler can do for that SQL: no session, no
// scope, no types, no framework.
func bareHandler(pool *pgxpool.Pool, sqls []string) http.Handler {
	text := pgx.QueryResultFormats{pgx.TextFormatCode}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /inbox", func(w http.ResponseWriter, r *http.Request) {
		i, _ := strconv.Atoi(r.URL.Query().Get("i"))
		rows, err := pool.Query(r.Context(), sqls[i%len(sqls)], text)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer rows.Close()
		fields := rows.FieldDescriptions()
		keys := make([][]byte, len(fields))
		for k, f := range fields {
			keys[k] = appendJSONString(nil, f.Name)
		}
		buf := make([]byte, 0, 64<<10)
		buf = append(buf, `{"items":[`...)
		n := 0
		for rows.Next() {
			if n > 0 {
				buf = append(buf, ',')
			}
			n++
			buf = append(buf, '{')
			for k, v := range rows.RawValues() {
				if k > 0 {
					buf = append(buf, ',')
				}
				buf = append(append(buf, keys[k]...), ':')
				if v == nil {
					buf = append(buf, "null"...)
				} else {
					buf = appendJSONString(buf, string(v))
				}
			}
			buf = append(buf, '}')
		}
		if err := rows.Err(); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		buf = append(buf, "]}"...)
		w.Header().Set("Content-Type", "application/json")
		w.Write(buf) //nolint:errcheck
	})
	return mux
}

// appendJSONString appends s as a JSON string.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

// startBare serves bareHandler from a child process (`steward bench --serve-bare`), or from
// this one in the harness's test.
func (e *benchEnv) startBare(ctx context.Context, sqls []string) (string, func(), error) {
	if e.o.InProcess {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", nil, err
		}
		srv := &http.Server{Handler: bareHandler(e.db.Pool, sqls), ReadHeaderTimeout: 10 * time.Second}
		go srv.Serve(ln) //nolint:errcheck
		return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
	}
	bin, err := os.Executable()
	if err != nil {
		return "", nil, err
	}
	b, _ := json.Marshal(sqls)
	cmd := exec.CommandContext(ctx, bin, "bench", "--serve-bare")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+e.url)
	cmd.Stdin = bytes.NewReader(append(b, '\n'))
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop := func() { cmd.Process.Kill(); cmd.Wait() } //nolint:errcheck
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		stop()
		return "", nil, fmt.Errorf("the bare handler did not start: %w", err)
	}
	return "http://" + strings.TrimSpace(line), stop, nil
}

// serveBare is the child's side: the statements on standard input, the address on standard
// output, then serve until killed.
func (m *Main) serveBare(ctx context.Context) error {
	var sqls []string
	if err := json.NewDecoder(m.Stdin).Decode(&sqls); err != nil || len(sqls) == 0 {
		return fmt.Errorf("bench --serve-bare: the statements, as a JSON array on standard input: %v", err)
	}
	db, err := postgres.Open(ctx, m.Getenv("DATABASE_URL"))
	if err != nil {
		return err
	}
	defer db.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, ln.Addr().String())
	srv := &http.Server{Handler: bareHandler(db.Pool, sqls), ReadHeaderTimeout: 10 * time.Second}
	go func() { <-ctx.Done(); srv.Close() }()
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	return nil
}
