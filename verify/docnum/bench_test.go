package docnum

import "testing"

func BenchmarkParsePlate(b *testing.B) {
	for _, in := range []string{"京A·12345", "沪AD12345", "粤Z1234港"} {
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParsePlate(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkParseVIN(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseVIN("1M8GDM9AXKP042788"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVINCheckDigit(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := VINCheckDigit("1M8GDM9AXKP042788"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParsePassport(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParsePassport("EA1234567"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseTaiwanResidentsPermit(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseTaiwanResidentsPermit("1234567801(B)"); err != nil {
			b.Fatal(err)
		}
	}
}
