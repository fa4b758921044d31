// Command det draws the detection error trade-off (DET) curves of face matchers from
// score files and reports each at the SP 800-63A-4 §3.11 operating point (FMR 1:10,000,
// FNMR 1:100), with package liveness/biometrics.
//
//	det -o det.svg "model A=a-genuine.txt,a-impostor.txt" "model B=b-genuine.txt,b-impostor.txt"
//	det -synthetic DIR   # writes made-up score files of two models to try it with
//
// A score file holds one comparison score per line (higher = more similar); blank lines
// and lines starting with '#' are skipped.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/trustid/trustid/liveness/biometrics"
)

func main() {
	out := flag.String("o", "det.svg", "SVG file to write")
	synthetic := flag.String("synthetic", "", "write synthetic score files into this directory and exit")
	flag.Parse()
	var err error
	if *synthetic != "" {
		err = writeSynthetic(*synthetic)
	} else {
		err = run(os.Stdout, *out, flag.Args())
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "det:", err)
		os.Exit(1)
	}
}

// run reads each "label=genuine,impostor" system, writes the SVG to out and a summary to w.
func run(w io.Writer, out string, systems []string) error {
	if len(systems) == 0 {
		return errors.New(`no systems: give "label=genuine.txt,impostor.txt" arguments`)
	}
	var curves []biometrics.DETCurve
	for _, s := range systems {
		label, files, ok := strings.Cut(s, "=")
		gfile, ifile, ok2 := strings.Cut(files, ",")
		if !ok || !ok2 || label == "" {
			return fmt.Errorf("%q: want label=genuine.txt,impostor.txt", s)
		}
		gen, err := readFile(gfile)
		if err != nil {
			return err
		}
		imp, err := readFile(ifile)
		if err != nil {
			return err
		}
		v, err := biometrics.NewVerification(gen, imp)
		if err != nil {
			return fmt.Errorf("%s: %w", label, err)
		}
		curves = append(curves, biometrics.DETCurve{Label: label, Points: v.DET()})
		r, err := v.ThresholdForFMR(biometrics.MaxFMR)
		if err != nil {
			fmt.Fprintf(w, "%s: %d genuine, %d impostor: %v\n", label, len(gen), len(imp), err)
			continue
		}
		verdict := "does not meet"
		if r.Meets() {
			verdict = "meets"
		}
		fmt.Fprintf(w, "%s: %d genuine, %d impostor; at threshold %.4f FMR %.5f (%d), FNMR %.4f (%d): %s SP 800-63A-4 §3.11\n",
			label, len(gen), len(imp), r.Threshold, r.FMR, r.FalseMatches, r.FNMR, r.FalseNonMatches, verdict)
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := biometrics.WriteDETSVG(f, curves); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func readFile(name string) ([]float64, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s, err := biometrics.ReadScores(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return s, nil
}

// writeSynthetic writes normally distributed scores of two made-up models: "model A"
// separates well enough for §3.11, "model B" does not. Fixed seeds: the same files
// every time.
func writeSynthetic(dir string) error {
	models := []struct {
		name                   string
		gMean, gSD, iMean, iSD float64
	}{
		{"a", 0.76, 0.07, 0.30, 0.07},
		{"b", 0.72, 0.09, 0.34, 0.08},
	}
	for i, m := range models {
		r := rand.New(rand.NewPCG(17, uint64(i)))
		for _, set := range []struct {
			kind     string
			n        int
			mean, sd float64
		}{{"genuine", 2_000, m.gMean, m.gSD}, {"impostor", 50_000, m.iMean, m.iSD}} {
			var b strings.Builder
			fmt.Fprintf(&b, "# synthetic %s scores of model %s (made up)\n", set.kind, m.name)
			for range set.n {
				b.WriteString(strconv.FormatFloat(set.mean+set.sd*r.NormFloat64(), 'f', 6, 64))
				b.WriteByte('\n')
			}
			if err := os.WriteFile(filepath.Join(dir, m.name+"-"+set.kind+".txt"), []byte(b.String()), 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}
