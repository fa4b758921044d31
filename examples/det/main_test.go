package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunSynthetic(t *testing.T) {
	dir := t.TempDir()
	if err := writeSynthetic(dir); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	svg := filepath.Join(dir, "det.svg")
	err := run(&out, svg, []string{
		"model A=" + filepath.Join(dir, "a-genuine.txt") + "," + filepath.Join(dir, "a-impostor.txt"),
		"model B=" + filepath.Join(dir, "b-genuine.txt") + "," + filepath.Join(dir, "b-impostor.txt"),
	})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || !strings.HasSuffix(lines[0], ": meets SP 800-63A-4 §3.11") || !strings.HasSuffix(lines[1], ": does not meet SP 800-63A-4 §3.11") {
		t.Errorf("summary:\n%s", out.String())
	}
	b, err := os.ReadFile(svg)
	if err != nil || !bytes.HasPrefix(b, []byte("<svg")) || bytes.Count(b, []byte("<polyline")) != 2 {
		t.Errorf("SVG: %d bytes, %v", len(b), err)
	}
	if err := run(&out, svg, []string{"no-equals-sign"}); err == nil {
		t.Error("a malformed system argument was accepted")
	}
}
