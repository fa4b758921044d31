package review

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/trustid/trustid/verify"
)

// NoticeKind says what a notice tells the applicant. The zero value is invalid.
type NoticeKind uint8

// Notice kinds.
const (
	// NoticeSubmitted: the application (or a re-application) was received.
	NoticeSubmitted NoticeKind = iota + 1
	// NoticeSupplementRequested: material must be supplemented or corrected before
	// Notice.Deadline.
	NoticeSupplementRequested
	// NoticeApproved: certified until Notice.Deadline (the validity).
	NoticeApproved
	// NoticeRejected: not certified; Notice.Reasons says why.
	NoticeRejected
	// NoticeReviewDue: the certification lapsed (validity ended or identity data
	// changed) and re-certification is due.
	NoticeReviewDue
)

var noticeNames = [...]string{"", "submitted", "supplement_requested", "approved", "rejected", "review_due"}

// String returns the kind's snake_case name.
func (k NoticeKind) String() string {
	if k >= NoticeSubmitted && int(k) < len(noticeNames) {
		return noticeNames[k]
	}
	return fmt.Sprintf("NoticeKind(%d)", uint8(k))
}

// MarshalText encodes k as its String form.
func (k NoticeKind) MarshalText() ([]byte, error) {
	if k < NoticeSubmitted || int(k) >= len(noticeNames) {
		return nil, invalid("Kind", "unknown notice kind")
	}
	return []byte(k.String()), nil
}

// UnmarshalText decodes the String form of a notice kind.
func (k *NoticeKind) UnmarshalText(b []byte) error {
	for i := 1; i < len(noticeNames); i++ {
		if string(b) == noticeNames[i] {
			*k = NoticeKind(i)
			return nil
		}
	}
	return invalid("Kind", "unknown notice kind")
}

// Text is a message in Chinese and English.
type Text struct {
	ZH string `json:"zh"`
	EN string `json:"en"`
}

// In returns the text for a language tag: Chinese for "zh" and "zh-…", English otherwise.
func (t Text) In(lang string) string {
	l := strings.ToLower(lang)
	if l == "zh" || strings.HasPrefix(l, "zh-") || strings.HasPrefix(l, "zh_") {
		return t.ZH
	}
	return t.EN
}

// Notice is a message for the applicant, raised by a transition and kept in the case's
// outbox until the [Notifier] accepts it. It holds no personal data: the applicant is
// named by the opaque reference, the host looks up the email address or phone number,
// and the reviewer's free-text note is not included.
type Notice struct {
	// Key is unique per event ("<case>/<seq>": the audit record that raised it). The
	// host uses it to drop a notice it has already sent (idempotency key).
	Key string `json:"key"`
	// Kind is what the notice says.
	Kind NoticeKind `json:"kind"`
	// Case and Applicant identify the case and the opaque applicant reference.
	Case      string `json:"case"`
	Applicant string `json:"applicant"`
	// Reasons are the reason codes (rejection, supplement, re-review).
	Reasons []verify.Reason `json:"reasons,omitempty"`
	// Deadline is the supplement deadline (supplement requested) or the end of
	// validity (approved).
	Deadline time.Time `json:"deadline,omitzero"`
	// Decision is, on the approval of a case with a [Journey], the approval's sealed
	// decision (Case.Approval.Token) for the host to hand to the wallet before
	// Case.Approval.ValidUntil. It is a credential for linking, not a message: a
	// Notifier must not send it to the applicant (Title and Body do not contain it).
	// String, GoString, Format and LogValue never show it; the JSON encoding, part of
	// the Store format (Case.Outbox), holds it whole.
	Decision string `json:"decision,omitempty"`
	// Title and Body are ready to send, in Chinese and English.
	Title Text `json:"title"`
	Body  Text `json:"body"`
	// Created is when the event happened.
	Created time.Time `json:"created"`
	// Delivered is when the Notifier accepted the notice; zero while pending.
	Delivered time.Time `json:"delivered,omitzero"`
	// ClaimedUntil is set while one process is delivering the notice, so that another
	// does not send it too; after it passes, the next Sweep may try again.
	ClaimedUntil time.Time `json:"claimed_until,omitzero"`
	// Attempts counts failed deliveries.
	Attempts int `json:"attempts,omitempty"`
}

// String summarises the notice without its decision token, e.g.
// "notice rv-1/3 approved case=rv-1 applicant=acct-42 decision=[redacted]".
func (n Notice) String() string {
	out := "notice " + n.Key + " " + n.Kind.String() + " case=" + n.Case + " applicant=" + n.Applicant
	if n.Decision != "" {
		out += " decision=[redacted]"
	}
	return out
}

// GoString returns String, so %#v does not show the decision token.
func (n Notice) GoString() string { return n.String() }

// Format prints String for every verb, so that no verb or flag reaches the decision
// token.
func (n Notice) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(n.String())) }

// LogValue implements slog.LogValuer without the decision token (only whether there is
// one).
func (n Notice) LogValue() slog.Value {
	return slog.GroupValue(slog.String("key", n.Key), slog.String("kind", n.Kind.String()),
		slog.String("case", n.Case), slog.String("applicant", n.Applicant),
		slog.Bool("decision", n.Decision != ""), slog.Time("created", n.Created),
		slog.Time("delivered", n.Delivered))
}

// Notifier sends notices to applicants by email or SMS. Notify returns nil once the
// notice is accepted for delivery; an error leaves it pending, to be retried by the next
// [Desk.Sweep] with the same Key. Delivery is exactly once per event unless the process
// stops between Notify returning and the store recording it; then the notice is sent
// again with the same Key, which the host's Notifier should use to drop the duplicate.
type Notifier interface {
	Notify(ctx context.Context, n Notice) error
}

// NotifierFunc adapts a function to [Notifier].
type NotifierFunc func(ctx context.Context, n Notice) error

// Notify calls f.
func (f NotifierFunc) Notify(ctx context.Context, n Notice) error { return f(ctx, n) }

// MemoryNotifier records notices in memory, dropping a repeated Key; it is the default
// Notifier, useful for tests, demos and hosts that poll. Safe for concurrent use. Make
// it with [NewMemoryNotifier]: its methods must not be called on a nil or zero
// MemoryNotifier (they panic).
type MemoryNotifier struct {
	mu      sync.Mutex
	seen    map[string]bool
	notices []Notice
	dups    int
}

// NewMemoryNotifier returns an empty MemoryNotifier.
func NewMemoryNotifier() *MemoryNotifier { return &MemoryNotifier{seen: make(map[string]bool)} }

// Notify implements [Notifier].
func (m *MemoryNotifier) Notify(_ context.Context, n Notice) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.seen[n.Key] {
		m.dups++
		return nil
	}
	m.seen[n.Key] = true
	m.notices = append(m.notices, n)
	return nil
}

// Notices returns the notices received so far, in order.
func (m *MemoryNotifier) Notices() []Notice {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Notice(nil), m.notices...)
}

// Duplicates returns how many notices arrived with a Key already seen.
func (m *MemoryNotifier) Duplicates() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.dups
}

// noticeFor returns the notice kind an event raises, or 0.
func noticeFor(ev Event) NoticeKind {
	switch ev {
	case EventSubmit, EventReapply:
		return NoticeSubmitted
	case EventRequestSupplement:
		return NoticeSupplementRequested
	case EventApprove, EventCheckPass:
		return NoticeApproved
	case EventReject, EventCheckFail:
		return NoticeRejected
	case EventExpire:
		return NoticeReviewDue
	}
	return 0
}
