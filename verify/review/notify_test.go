package review_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/review"
)

// countingNotifier fails while failing is set and counts every call per key, so that
// a duplicate send is visible even though it would be harmless to a deduplicating host.
type countingNotifier struct {
	mu      sync.Mutex
	failing bool
	calls   map[string]int
	sent    []review.Notice
}

func (n *countingNotifier) Notify(_ context.Context, x review.Notice) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.calls == nil {
		n.calls = make(map[string]int)
	}
	if n.failing {
		return errors.New("smtp: connection refused")
	}
	n.calls[x.Key]++
	n.sent = append(n.sent, x)
	return nil
}

func (n *countingNotifier) setFailing(f bool) {
	n.mu.Lock()
	n.failing = f
	n.mu.Unlock()
}

func (n *countingNotifier) kinds() []review.NoticeKind {
	n.mu.Lock()
	defer n.mu.Unlock()
	var out []review.NoticeKind
	for _, x := range n.sent {
		out = append(out, x.Kind)
	}
	return out
}

func (n *countingNotifier) duplicates() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	var out []string
	for k, c := range n.calls {
		if c != 1 {
			out = append(out, k)
		}
	}
	return out
}

func TestNotificationsExactlyOncePerEvent(t *testing.T) {
	ctx := context.Background()
	n := &countingNotifier{}
	e := newEnv(t, func(c *review.Config) { c.Notifier = n })
	c := mustApply(t, e, "app-1")
	if _, err := e.desk.RequestSupplement(ctx, c.Reviewer, c.ID, []verify.Reason{review.ReasonMaterialUnclear}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.desk.Resubmit(ctx, "app-1", c.ID, []review.Material{material("rescan")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.desk.Reject(ctx, c.Reviewer, c.ID, []verify.Reason{review.ReasonMaterialInvalid}, ""); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(25 * time.Hour)
	c, err := e.desk.Reapply(ctx, c.ID, application("app-1"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.desk.Approve(ctx, c.Reviewer, c.ID, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := e.desk.Sweep(ctx, e.clock.Advance(366*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	for range 3 { // repeated sweeps send nothing more
		if _, err := e.desk.Sweep(ctx, e.clock.Advance(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	want := []review.NoticeKind{review.NoticeSubmitted, review.NoticeSupplementRequested, review.NoticeRejected,
		review.NoticeSubmitted, review.NoticeApproved, review.NoticeReviewDue}
	if diff := cmp.Diff(want, n.kinds()); diff != "" {
		t.Errorf("notices mismatch (-want +got):\n%s", diff)
	}
	if d := n.duplicates(); len(d) != 0 {
		t.Errorf("notices sent more than once: %v", d)
	}
	got, _ := e.desk.Case(ctx, c.ID)
	for _, o := range got.Outbox {
		if o.Delivered.IsZero() {
			t.Errorf("notice %s still pending", o.Key)
		}
	}
}

func TestNotifierFailureRetriedOnSweep(t *testing.T) {
	ctx := context.Background()
	n := &countingNotifier{failing: true}
	e := newEnv(t, func(c *review.Config) { c.Notifier = n })
	c := mustApply(t, e, "app-1")
	if _, err := e.desk.Reject(ctx, c.Reviewer, c.ID, []verify.Reason{review.ReasonMaterialInvalid}, ""); err != nil {
		t.Fatal(err)
	}
	// Both notices failed inline; a sweep while the notifier still fails retries and
	// fails again, counting the attempts.
	rep, err := e.desk.Sweep(ctx, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed != 2 || rep.Delivered != 0 {
		t.Errorf("Sweep with failing notifier = %+v, want Failed=2", rep)
	}
	got, _ := e.desk.Case(ctx, c.ID)
	for _, o := range got.Outbox {
		if o.Attempts != 2 || !o.Delivered.IsZero() {
			t.Errorf("notice %s: attempts %d delivered %v, want 2 attempts and pending", o.Key, o.Attempts, o.Delivered)
		}
	}
	n.setFailing(false)
	// Many sweeps at once: each pending notice is claimed by exactly one of them.
	var wg sync.WaitGroup
	var mu sync.Mutex
	var total review.SweepReport
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rep, err := e.desk.Sweep(ctx, e.clock.Now())
			if err != nil {
				t.Errorf("Sweep: %v", err)
			}
			mu.Lock()
			total.Delivered += rep.Delivered
			mu.Unlock()
		}()
	}
	wg.Wait()
	if total.Delivered != 2 {
		t.Errorf("concurrent sweeps delivered %d notices, want 2", total.Delivered)
	}
	if d := n.duplicates(); len(d) != 0 {
		t.Errorf("notices sent more than once: %v", d)
	}
	if diff := cmp.Diff([]review.NoticeKind{review.NoticeSubmitted, review.NoticeRejected}, n.kinds()); diff != "" {
		t.Errorf("notices mismatch (-want +got):\n%s", diff)
	}
	rep, err = e.desk.Sweep(ctx, e.clock.Advance(time.Hour))
	if err != nil || rep.Delivered != 0 {
		t.Errorf("Sweep after delivery = %+v, %v; want nothing delivered", rep, err)
	}
}

// TestClaimedNoticeNotStolen: a notice claimed by an in-flight delivery is not sent by
// a sweep before the claim lapses; after it lapses (the process died) it is sent again
// with the same key.
func TestClaimedNoticeNotStolen(t *testing.T) {
	ctx := context.Background()
	var once sync.Once
	release := make(chan struct{})
	entered := make(chan struct{})
	n := &countingNotifier{}
	slow := review.NotifierFunc(func(ctx context.Context, x review.Notice) error {
		first := false
		once.Do(func() { first = true })
		if first {
			close(entered)
			<-release
			return errors.New("timeout")
		}
		return n.Notify(ctx, x)
	})
	e := newEnv(t, func(c *review.Config) { c.Notifier = slow; c.ClaimTTL = time.Minute })
	done := make(chan *review.Case)
	go func() {
		c, err := e.desk.Apply(ctx, application("app-1"))
		if err != nil {
			t.Errorf("Apply: %v", err)
		}
		done <- c
	}()
	<-entered
	rep, err := e.desk.Sweep(ctx, e.clock.Now().Add(30*time.Second))
	if err != nil || rep.Delivered != 0 {
		t.Errorf("Sweep within the claim = %+v, %v; want nothing sent", rep, err)
	}
	close(release)
	<-done
	rep, err = e.desk.Sweep(ctx, e.clock.Now())
	if err != nil || rep.Delivered != 1 {
		t.Errorf("Sweep after failed delivery = %+v, %v; want 1 sent", rep, err)
	}
	if d := n.duplicates(); len(d) != 0 {
		t.Errorf("duplicates: %v", d)
	}
}

func TestNoticesHoldNoPersonalData(t *testing.T) {
	ctx := context.Background()
	mn := review.NewMemoryNotifier()
	e := newEnv(t, func(c *review.Config) { c.Notifier = mn })
	c := mustApply(t, e, "app-1")
	note := "王小明 11010519491231002X 住址不符"
	if _, err := e.desk.RequestSupplement(ctx, c.Reviewer, c.ID, []verify.Reason{review.ReasonMaterialUnclear}, note); err != nil {
		t.Fatal(err)
	}
	if _, err := e.desk.Resubmit(ctx, "app-1", c.ID, []review.Material{material("x")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.desk.Reject(ctx, c.Reviewer, c.ID, []verify.Reason{verify.ReasonNameMismatch}, note); err != nil {
		t.Fatal(err)
	}
	ns := mn.Notices()
	if len(ns) != 3 {
		t.Fatalf("got %d notices, want 3", len(ns))
	}
	secrets := []string{"王小明", "小明", "11010519491231002X", "19491231", "住址不符"}
	for _, x := range ns {
		all := x.Title.ZH + x.Title.EN + x.Body.ZH + x.Body.EN
		for _, s := range secrets {
			if strings.Contains(all, s) {
				t.Errorf("notice %s (%v) contains %q: %s", x.Key, x.Kind, s, all)
			}
		}
	}
	rej := ns[2]
	if rej.Kind != review.NoticeRejected || !strings.Contains(rej.Body.ZH, "姓名与证件登记信息不一致") ||
		!strings.Contains(rej.Body.EN, "The name does not match") {
		t.Errorf("rejection notice does not state the reason: %+v", rej.Body)
	}
	sup := ns[1]
	if !strings.Contains(sup.Body.EN, "2026-11-30 08:00 UTC") || !strings.Contains(sup.Body.ZH, "材料不清晰") {
		t.Errorf("supplement notice lacks deadline or reason: %+v", sup.Body)
	}
	if mn.Duplicates() != 0 {
		t.Errorf("MemoryNotifier saw %d duplicates", mn.Duplicates())
	}
}
