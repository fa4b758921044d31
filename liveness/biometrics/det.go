package biometrics

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strings"
)

// DETCurve is one system's detection error trade-off curve to draw: a label and its
// rates ([Verification.DET]).
type DETCurve struct {
	Label  string
	Points []Rates
}

// NormalDeviate returns the standard normal quantile of p, Φ⁻¹(p) = √2·erfinv(2p−1): the
// scale of DET axes, on which normally distributed scores give straight lines.
func NormalDeviate(p float64) float64 { return math.Sqrt2 * math.Erfinv(2*p-1) }

// DET axis range and ticks: 0.001% to 50% on both axes.
const (
	detMin = 1e-5
	detMax = 0.5
)

var detTicks = []struct {
	p     float64
	label string
}{{1e-5, "0.001%"}, {1e-4, "0.01%"}, {1e-3, "0.1%"}, {1e-2, "1%"}, {0.05, "5%"}, {0.2, "20%"}, {0.5, "50%"}}

var detColours = []string{"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"}

// WriteDETSVG draws the curves as a DET plot in SVG: FMR on the horizontal axis, FNMR on
// the vertical, both on normal-deviate scales from 0.001% to 50% (rates outside are
// drawn on the edge), with the SP 800-63A-4 §3.11 bars (FMR 1:10,000, FNMR 1:100) as
// dashed lines: a system meets them where its curve passes below and left of their
// crossing. It refuses no curves, an empty curve or a non-finite rate.
func WriteDETSVG(w io.Writer, curves []DETCurve) error {
	if len(curves) == 0 {
		return invalid("no curves")
	}
	for _, c := range curves {
		if len(c.Points) == 0 {
			return invalid("empty curve")
		}
		for _, p := range c.Points {
			if !(p.FMR >= 0 && p.FMR <= 1 && p.FNMR >= 0 && p.FNMR <= 1) {
				return invalid("rate outside [0, 1]")
			}
		}
	}
	const size, left, top, right, bottom = 420.0, 80.0, 30.0, 170.0, 60.0
	lo, hi := NormalDeviate(detMin), NormalDeviate(detMax)
	pos := func(p float64) float64 { // 0..1 along an axis
		p = min(max(p, detMin), detMax)
		return (NormalDeviate(p) - lo) / (hi - lo)
	}
	x := func(p float64) float64 { return left + size*pos(p) }
	y := func(p float64) float64 { return top + size*(1-pos(p)) }

	b := bufio.NewWriter(w)
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" viewBox="0 0 %g %g" font-family="sans-serif" font-size="12">`+"\n",
		left+size+right, top+size+bottom, left+size+right, top+size+bottom)
	fmt.Fprintf(b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	for _, t := range detTicks {
		fmt.Fprintf(b, `<line x1="%.2f" y1="%.2f" x2="%.2f" y2="%.2f" stroke="#ddd"/>`+"\n", x(t.p), top, x(t.p), top+size)
		fmt.Fprintf(b, `<line x1="%.2f" y1="%.2f" x2="%.2f" y2="%.2f" stroke="#ddd"/>`+"\n", left, y(t.p), left+size, y(t.p))
		fmt.Fprintf(b, `<text x="%.2f" y="%.2f" text-anchor="middle">%s</text>`+"\n", x(t.p), top+size+18, t.label)
		fmt.Fprintf(b, `<text x="%.2f" y="%.2f" text-anchor="end" dominant-baseline="middle">%s</text>`+"\n", left-6, y(t.p), t.label)
	}
	fmt.Fprintf(b, `<rect x="%g" y="%g" width="%g" height="%g" fill="none" stroke="black"/>`+"\n", left, top, size, size)
	fmt.Fprintf(b, `<text x="%.2f" y="%.2f" text-anchor="middle">False match rate (FMR)</text>`+"\n", left+size/2, top+size+42)
	fmt.Fprintf(b, `<text transform="translate(%.2f %.2f) rotate(-90)" text-anchor="middle">False non-match rate (FNMR)</text>`+"\n", 22.0, top+size/2)
	// The SP 800-63A-4 bars.
	fmt.Fprintf(b, `<line x1="%.2f" y1="%.2f" x2="%.2f" y2="%.2f" stroke="#555" stroke-dasharray="5 4"/>`+"\n", x(MaxFMR), top, x(MaxFMR), top+size)
	fmt.Fprintf(b, `<line x1="%.2f" y1="%.2f" x2="%.2f" y2="%.2f" stroke="#555" stroke-dasharray="5 4"/>`+"\n", left, y(MaxFNMR), left+size, y(MaxFNMR))
	fmt.Fprintf(b, `<text x="%.2f" y="%.2f" fill="#555">SP 800-63A-4 §3.11</text>`+"\n", x(MaxFMR)+4, y(MaxFNMR)+14)

	for i, c := range curves {
		colour := detColours[i%len(detColours)]
		// Points that fall on the same tenth of a pixel as the previous one are dropped:
		// a curve of 50,000 thresholds draws in a few hundred points.
		var pts strings.Builder
		last := ""
		for _, p := range c.Points {
			pt := fmt.Sprintf("%.1f,%.1f", x(p.FMR), y(p.FNMR))
			if pt == last {
				continue
			}
			if last != "" {
				pts.WriteByte(' ')
			}
			pts.WriteString(pt)
			last = pt
		}
		fmt.Fprintf(b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`+"\n", pts.String(), colour)
		ly := top + 10 + float64(i)*20
		fmt.Fprintf(b, `<line x1="%.2f" y1="%.2f" x2="%.2f" y2="%.2f" stroke="%s" stroke-width="2"/>`+"\n", left+size+12, ly, left+size+36, ly, colour)
		var label strings.Builder
		xml.EscapeText(&label, []byte(c.Label))
		fmt.Fprintf(b, `<text x="%.2f" y="%.2f" dominant-baseline="middle">%s</text>`+"\n", left+size+42, ly, label.String())
	}
	fmt.Fprintln(b, "</svg>")
	return b.Flush()
}
