package wallet

import (
	"fmt"
	"time"

	"github.com/trustid/trustid/verify"
)

// EventType names a change in a wallet's history.
type EventType uint8

// Event types.
const (
	// EventLinked: a credential entered the wallet.
	EventLinked EventType = iota + 1
	// EventRefreshed: the registry reported changed fields (address, authority,
	// status) of a credential already in the wallet, or (actor holder, Detail
	// "level <level>") a stronger decision raised the level it is linked at.
	EventRefreshed
	// EventReplaced: a new document replaced the credential of the same slot; the
	// event is recorded on the new credential, Detail holds the old handle.
	EventReplaced
	// EventSuperseded: the credential was replaced; Detail holds the new handle.
	EventSuperseded
	// EventSuspended, EventReinstated, EventRevoked, EventReportedLost, EventExpired:
	// status changes.
	EventSuspended
	EventReinstated
	EventRevoked
	EventReportedLost
	EventExpired
	// EventPresented: a code was issued for the credential; Detail holds the purpose.
	EventPresented
)

var eventNames = [...]string{"", "linked", "refreshed", "replaced", "superseded", "suspended",
	"reinstated", "revoked", "reported-lost", "expired", "presented"}

// String returns the event's short name, e.g. "linked" or "reported-lost".
func (t EventType) String() string {
	if t.Valid() {
		return eventNames[t]
	}
	return fmt.Sprintf("EventType(%d)", uint8(t))
}

// Valid reports whether t is one of the defined event types.
func (t EventType) Valid() bool { return t >= EventLinked && int(t) < len(eventNames) }

// MarshalText encodes t as its String form.
func (t EventType) MarshalText() ([]byte, error) {
	if !t.Valid() {
		return nil, invalidf("event type %d", uint8(t))
	}
	return []byte(t.String()), nil
}

// UnmarshalText decodes the String form of an event type.
func (t *EventType) UnmarshalText(b []byte) error {
	for i, n := range eventNames {
		if i > 0 && string(b) == n {
			*t = EventType(i)
			return nil
		}
	}
	return invalidf("unknown event type")
}

// Actors the wallet records itself. Hosts pass their own actor names (an operator ID, a
// service name) to [Wallet.SetStatus]; actors are not personal data and are logged.
const (
	// ActorHolder: the holder, through Link or Present.
	ActorHolder = "holder"
	// ActorRegistry: the credential source, through Link or Refresh.
	ActorRegistry = "registry"
	// ActorSystem: the wallet itself (an expiry noticed at the clock).
	ActorSystem = "system"
)

// Event is one entry of a wallet's history. It holds no personal data: the credential
// is named by kind and handle.
type Event struct {
	Time   time.Time             `json:"time"`
	Type   EventType             `json:"type"`
	Kind   verify.CredentialKind `json:"kind"`
	Handle Handle                `json:"handle"`
	// Actor is who caused the change: ActorHolder, ActorRegistry, ActorSystem or a
	// host's actor name.
	Actor string `json:"actor"`
	// Detail is a non-personal detail: the other handle of a replacement, the purpose
	// of a presentation.
	Detail string `json:"detail,omitempty"`
}

// String returns a one-line summary, e.g. "2026-11-23T08:00:00Z linked id-card by holder".
func (e Event) String() string {
	s := e.Time.UTC().Format(time.RFC3339) + " " + e.Type.String() + " " + e.Kind.String() + " by " + e.Actor
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}
