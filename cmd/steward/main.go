// Command steward is Steward's one binary: API server, web app, background workers and the
// operator's commands. This package only wires the others together (shared/DESIGN.md §2).
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain()
	if err := m.Run(ctx, os.Args[1:]); err != nil {
		m.Close()
		if err != errUsage {
			fmt.Fprintln(os.Stderr, "steward:", err)
		}
		os.Exit(1)
	}
	var err error
	if m.Serving() {
		select {
		case <-ctx.Done():
			m.Logger.Info("shutting down")
		case err = <-m.Failed():
		}
	}
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "steward:", err)
		os.Exit(1)
	}
}
