package review

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/trustid/trustid/verify"
)

// The audit-chain known-answer vector. testdata/audit/inputs.json holds fixed inputs
// (records with fixed times, actors, actions, states, reasons and materials; the seed of
// an ed25519 checkpoint key; a checkpoint time). The expected outputs are stored next to
// it: export.jsonl (the ExportAudit output, with every materials digest, Prev and Hash)
// and checkpoint.json (the signed Checkpoint; ed25519 signatures are deterministic).
//
// They were generated with
//
//	go test ./verify/review -run TestAuditVector -update
//
// which recomputes both outputs from inputs.json through the package's own code and
// writes them. Without -update the test never writes: it checks that the outputs
// computed now are byte for byte the stored ones, and that the stored ones are accepted
// and, with any one byte changed, refused. Changing the hash or signature input layout
// (a domain string, a field's order or width) therefore fails it; regenerate only for a
// deliberate format change, which also needs a new domain version ("/v2").
var update = flag.Bool("update", false, "rewrite the expected outputs of the known-answer vectors in testdata/")

type vectorInputs struct {
	CheckpointSeed string    `json:"checkpoint_seed"`
	CheckpointTime time.Time `json:"checkpoint_time"`
	Records        []struct {
		Time      time.Time       `json:"time"`
		Actor     string          `json:"actor"`
		Action    string          `json:"action"`
		Case      string          `json:"case"`
		State     State           `json:"state"`
		Reasons   []verify.Reason `json:"reasons"`
		Level     verify.Level    `json:"level"`
		Materials []Material      `json:"materials"`
	} `json:"records"`
}

// computeVector builds the trail and the checkpoint from the fixed inputs with the code
// the Desk uses (appendRecord, materialsDigest, SignCheckpoint).
func computeVector(t *testing.T) (records []AuditRecord, export, checkpoint []byte, pub ed25519.PublicKey) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "audit", "inputs.json"))
	if err != nil {
		t.Fatal(err)
	}
	var in vectorInputs
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var withComment struct {
		Comment string `json:"comment"`
		vectorInputs
	}
	if err := dec.Decode(&withComment); err != nil {
		t.Fatalf("inputs.json: %v", err)
	}
	in = withComment.vectorInputs
	seed, err := hex.DecodeString(in.CheckpointSeed)
	if err != nil || len(seed) != ed25519.SeedSize {
		t.Fatalf("inputs.json: checkpoint_seed must be %d bytes of hex", ed25519.SeedSize)
	}
	key := ed25519.NewKeyFromSeed(seed)
	for _, r := range in.Records {
		records = appendRecord(records, AuditRecord{Time: r.Time, Actor: r.Actor, Action: r.Action, Case: r.Case,
			State: r.State, Reasons: r.Reasons, Level: r.Level, Materials: materialsDigest(r.Materials)})
	}
	var buf bytes.Buffer
	if err := ExportAudit(&buf, records); err != nil {
		t.Fatal(err)
	}
	cp, err := SignCheckpoint(key, records, in.CheckpointTime)
	if err != nil {
		t.Fatal(err)
	}
	cpJSON, err := json.MarshalIndent(cp, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return records, buf.Bytes(), append(cpJSON, '\n'), key.Public().(ed25519.PublicKey)
}

func TestAuditVector(t *testing.T) {
	records, export, checkpoint, pub := computeVector(t)
	exportPath := filepath.Join("testdata", "audit", "export.jsonl")
	cpPath := filepath.Join("testdata", "audit", "checkpoint.json")
	if *update {
		for path, b := range map[string][]byte{exportPath: export, cpPath: checkpoint} {
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		t.Logf("wrote %s and %s", exportPath, cpPath)
	}
	storedExport, err := os.ReadFile(exportPath)
	if err != nil {
		t.Fatal(err)
	}
	storedCP, err := os.ReadFile(cpPath)
	if err != nil {
		t.Fatal(err)
	}

	// Encode direction: the fixed inputs give exactly the stored bytes.
	if diff := cmp.Diff(string(storedExport), string(export)); diff != "" {
		t.Errorf("export of the fixed trail differs from %s (hash or encoding layout changed?) (-want +got):\n%s", exportPath, diff)
	}
	if diff := cmp.Diff(string(storedCP), string(checkpoint)); diff != "" {
		t.Errorf("checkpoint of the fixed trail differs from %s (signature layout changed?) (-want +got):\n%s", cpPath, diff)
	}

	// Decode direction: the stored bytes are accepted and mean the fixed trail.
	got, err := ImportAudit(bytes.NewReader(storedExport), 0)
	if err != nil {
		t.Fatalf("ImportAudit(%s) = %v", exportPath, err)
	}
	if diff := cmp.Diff(records, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("ImportAudit(%s) mismatch (-want +got):\n%s", exportPath, diff)
	}
	if err := VerifyChain(got); err != nil {
		t.Errorf("VerifyChain(stored trail) = %v", err)
	}
	cp := decodeCheckpoint(t, storedCP)
	if cp == nil {
		t.Fatalf("%s does not decode", cpPath)
	}
	if err := VerifyCheckpoint(pub, got, *cp); err != nil {
		t.Errorf("VerifyCheckpoint(stored trail, stored checkpoint) = %v", err)
	}

	// One byte changed anywhere in the export: refused by ImportAudit, as malformed or
	// as a broken chain.
	for i := range storedExport {
		bad := bytes.Clone(storedExport)
		bad[i] ^= 0x01
		_, err := ImportAudit(bytes.NewReader(bad), 0)
		if !errors.Is(err, ErrInvalidArgument) && !errors.Is(err, ErrChainBroken) {
			t.Errorf("export with byte %d (%q) changed: ImportAudit = %v, want it refused", i, storedExport[i], err)
		}
	}
	// One byte changed anywhere in the checkpoint: it no longer decodes, or
	// VerifyCheckpoint refuses it.
	for i := range storedCP {
		bad := bytes.Clone(storedCP)
		bad[i] ^= 0x01
		if cp := decodeCheckpoint(t, bad); cp != nil {
			if err := VerifyCheckpoint(pub, got, *cp); !errors.Is(err, ErrNotAuthentic) {
				t.Errorf("checkpoint with byte %d (%q) changed: VerifyCheckpoint = %v, want ErrNotAuthentic", i, storedCP[i], err)
			}
		}
	}
}

// decodeCheckpoint decodes a stored checkpoint strictly (one JSON object, known fields,
// nothing after it but JSON whitespace), or returns nil.
func decodeCheckpoint(t *testing.T, b []byte) *Checkpoint {
	t.Helper()
	var cp Checkpoint
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cp); err != nil {
		return nil
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil
	}
	return &cp
}
