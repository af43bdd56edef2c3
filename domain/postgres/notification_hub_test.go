package postgres_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"steward/domain/postgres"
	"steward/domain/postgres/pgtest"
)

// woken waits for a signal on ch.
func woken(t *testing.T, ch <-chan struct{}, within time.Duration) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(within):
		t.Fatalf("no wake-up within %s", within)
	}
}

// quiet fails when ch is signalled within d.
func quiet(t *testing.T, ch <-chan struct{}, d time.Duration) {
	t.Helper()
	select {
	case <-ch:
		t.Fatal("woken, but nothing was announced for this recipient")
	case <-time.After(d):
	}
}

func drain(ch <-chan struct{}) {
	select {
	case <-ch:
	default:
	}
}

func TestNotificationHub(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	hub := postgres.NewNotificationHub(db, slog.New(slog.DiscardHandler))
	hub.Start(ctx)
	t.Cleanup(hub.Stop)
	// announce is what the Notifier does for each new notification when its transaction commits.
	announce := func(recipient string) {
		t.Helper()
		if _, err := db.SQL.ExecContext(ctx, "SELECT pg_notify($1, $2)", postgres.NotifyChannel, recipient); err != nil {
			t.Fatal(err)
		}
	}
	alice, _ := hub.Subscribe("alice")
	alice2, stopAlice2 := hub.Subscribe("alice")
	bob, stopBob := hub.Subscribe("bob")
	// Wait until the hub listens: announcements before that are lost (and made up for by the
	// wake-up every subscriber gets on connecting).
	for deadline := time.Now().Add(5 * time.Second); ; {
		announce("alice")
		select {
		case <-alice:
		case <-time.After(50 * time.Millisecond):
			if time.Now().After(deadline) {
				t.Fatal("the hub does not listen")
			}
			continue
		}
		break
	}
	time.Sleep(50 * time.Millisecond)
	drain(alice)
	drain(alice2)
	drain(bob)

	t.Run("WakesEverySubscriberOfTheRecipientOnly", func(t *testing.T) {
		announce("alice")
		woken(t, alice, 15*time.Second)
		woken(t, alice2, 15*time.Second)
		quiet(t, bob, 200*time.Millisecond)
	})

	t.Run("CoalescesSignals", func(t *testing.T) {
		for range 5 {
			announce("bob")
		}
		woken(t, bob, 15*time.Second)
		time.Sleep(100 * time.Millisecond)
		drain(bob)
		quiet(t, bob, 200*time.Millisecond)
		drain(alice)
		drain(alice2)
	})

	t.Run("ReconnectsAndWakesEveryoneWhenTheConnectionDrops", func(t *testing.T) {
		var killed int
		if err := db.SQL.QueryRowContext(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
			WHERE application_name = $1 AND datname = current_database()`, postgres.ListenerName).Scan(&killed); err != nil {
			t.Fatal(err)
		}
		if killed != 1 {
			t.Fatalf("%d listener connections, want 1", killed)
		}
		// Announcements made while it was down are lost, so everyone is told to look again.
		woken(t, alice, 15*time.Second)
		woken(t, bob, 15*time.Second)
		drain(alice2)
		announce("bob")
		woken(t, bob, 15*time.Second)
	})

	t.Run("StopEndsTheSubscription", func(t *testing.T) {
		before := hub.Subscribers()
		stopBob()
		stopBob()
		stopAlice2()
		if after := hub.Subscribers(); after != before-2 {
			t.Fatalf("%d subscribers, want %d", after, before-2)
		}
		announce("bob")
		quiet(t, bob, 200*time.Millisecond)
	})
}
