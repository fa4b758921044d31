package wallet

import (
	"fmt"
	"time"

	"github.com/trustid/trustid/verify"
)

// HistoryKind names the kind of change a [HistoryEntry] records.
type HistoryKind uint8

// History kinds.
const (
	// HistoryLinked: a credential entered the wallet.
	HistoryLinked HistoryKind = iota + 1
	// HistoryRefreshed: the registry reported changed fields (address, authority,
	// status) of a credential already in the wallet, or (actor holder, Detail
	// "level <level>") a stronger decision raised the level it is linked at.
	HistoryRefreshed
	// HistoryReplaced: a new document replaced the credential of the same slot; the
	// entry is recorded on the new credential, Detail holds the old handle.
	HistoryReplaced
	// HistorySuperseded: the credential was replaced; Detail holds the new handle.
	HistorySuperseded
	// HistorySuspended, HistoryReinstated, HistoryRevoked, HistoryReportedLost,
	// HistoryExpired: status changes.
	HistorySuspended
	HistoryReinstated
	HistoryRevoked
	HistoryReportedLost
	HistoryExpired
	// HistoryPresented: a code was issued for the credential; Detail holds the purpose.
	HistoryPresented
)

var historyNames = [...]string{"", "linked", "refreshed", "replaced", "superseded", "suspended",
	"reinstated", "revoked", "reported-lost", "expired", "presented"}

// String returns the kind's short name, e.g. "linked" or "reported-lost".
func (t HistoryKind) String() string {
	if t.Valid() {
		return historyNames[t]
	}
	return fmt.Sprintf("HistoryKind(%d)", uint8(t))
}

// Valid reports whether t is one of the defined history kinds.
func (t HistoryKind) Valid() bool { return t >= HistoryLinked && int(t) < len(historyNames) }

// MarshalText encodes t as its String form.
func (t HistoryKind) MarshalText() ([]byte, error) {
	if !t.Valid() {
		return nil, invalid("marshal", "history_kind")
	}
	return []byte(t.String()), nil
}

// UnmarshalText decodes the String form of a history kind.
func (t *HistoryKind) UnmarshalText(b []byte) error {
	if t == nil {
		return invalid("unmarshal", "history_kind")
	}
	for i, n := range historyNames {
		if i > 0 && string(b) == n {
			*t = HistoryKind(i)
			return nil
		}
	}
	return invalid("unmarshal", "history_kind")
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

// HistoryEntry is one entry of a wallet's history. It holds no personal data: the
// credential is named by kind and handle.
type HistoryEntry struct {
	Time time.Time `json:"time"`
	// Type is what happened.
	Type   HistoryKind           `json:"type"`
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
func (e HistoryEntry) String() string {
	s := e.Time.UTC().Format(time.RFC3339) + " " + e.Type.String() + " " + e.Kind.String() + " by " + e.Actor
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}
