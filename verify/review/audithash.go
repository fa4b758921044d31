package review

import (
	"crypto/sha256"
	"hash"
	"sync"
)

// auditHashes are the hashes registered with RegisterAuditHash, by name.
var auditHashes sync.Map // string -> func() hash.Hash

// RegisterAuditHash makes a hash available to audit chains under name, so that a Desk
// configured with Config.AuditHash = name writes records hashed with it and
// [VerifyChain], [ImportAudit] and the checkpoints verify them. Module
// github.com/trustid/trustid/smsuite registers SM3 as "sm3" when it is imported. Call it
// from an init function. It panics (a programmer's mistake) for an empty name, "sha256"
// (the default's, which records leave empty), a name registered before, or a hash whose
// digests are not 32 bytes.
func RegisterAuditHash(name string, newHash func() hash.Hash) {
	if name == "" || name == "sha256" || newHash == nil || newHash().Size() != sha256.Size {
		panic("review: RegisterAuditHash: bad name or hash")
	}
	if _, dup := auditHashes.LoadOrStore(name, newHash); dup {
		panic("review: RegisterAuditHash: " + name + " registered twice")
	}
}

// auditHash returns the hash of records naming alg ("" is SHA-256), or nil if none is
// registered under that name.
func auditHash(alg string) func() hash.Hash {
	if alg == "" {
		return sha256.New
	}
	if h, ok := auditHashes.Load(alg); ok {
		return h.(func() hash.Hash)
	}
	return nil
}
