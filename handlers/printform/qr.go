package printform

import (
	"encoding/base64"
	"fmt"
	"html/template"

	qrcode "github.com/skip2/go-qrcode"
)

// qrModule is the side of one QR module in the PNG, in pixels: sharp
// enough for print without resampling blur.
const qrModule = 8

// qrPNG encodes url as a QR code PNG with medium error correction and
// the standard quiet zone.
func qrPNG(url string) ([]byte, error) {
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("encode QR code: %w", err)
	}
	png, err := q.PNG(-qrModule)
	if err != nil {
		return nil, fmt.Errorf("draw QR code: %w", err)
	}
	return png, nil
}

// dataURL makes a PNG an inline data: URL that html/template lets through
// in an img src.
func dataURL(png []byte) template.URL {
	//nolint:gosec // G203: the URL is built here from our own PNG bytes.
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
}
