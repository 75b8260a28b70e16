package printform_test

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/handlers/printform"
	"github.com/imut/xuewu/models"
)

func TestPDFShowsTheFormOfEachKind(t *testing.T) {
	t.Parallel()
	requireTool(t, "pdftotext", "poppler-utils")
	requireTool(t, "pdfinfo", "poppler-utils")

	for _, s := range samples() {
		t.Run(string(s.kind), func(t *testing.T) {
			t.Parallel()
			path := writePDF(t, s.form)

			require.Equal(t, s.pages, pageCount(t, path))
			text := run(t, "pdftotext", "-layout", path, "-")
			for _, want := range s.want {
				require.Contains(t, text, want)
			}
			require.Equal(t, s.pages, strings.Count(text, "扫码核验申请状态"),
				"every page has the QR caption")
		})
	}
}

func TestPDFLeavesOpenStepsBlankToSign(t *testing.T) {
	t.Parallel()
	requireTool(t, "pdftotext", "poppler-utils")

	s := samples()[2] // suspension: advisor decided; dean and registrar open
	path := writePDF(t, s.form)
	text := run(t, "pdftotext", "-layout", path, "-")
	// In reading order, with the breaks of wrapped lines taken out.
	flat := strings.Join(strings.Fields(run(t, "pdftotext", "-raw", path, "-")), "")

	require.Contains(t, flat, "班主任意见审批意见：同意")
	require.Contains(t, flat, "学院主管院长意见（加盖教学科研服务中心公章）意见：")
	require.Contains(t, flat, "教务处学籍管理科意见意见：")
	require.Equal(t, 2, strings.Count(text, "签字："), "two open steps")
	require.Contains(t, text, "审批人：侯燕")
	require.Contains(t, flat, s.form.Request.Details, "details wrap without losing a character")
	require.Contains(t, flat, "《入伍通知书》复印件")
}

func TestPDFQRCodeOpensTheVerifyURL(t *testing.T) {
	t.Parallel()
	requireTool(t, "pdftoppm", "poppler-utils")

	for _, s := range []sample{samples()[0], samples()[5]} {
		t.Run(string(s.kind), func(t *testing.T) {
			t.Parallel()
			path := writePDF(t, s.form)
			prefix := filepath.Join(t.TempDir(), "page")
			run(t, "pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile",
				path, prefix)

			require.Equal(t, s.form.VerifyURL, decodeQR(t, prefix+".png"))
		})
	}
}

func TestPDFKeepsTheLongestDetailsOnOnePagePerCopy(t *testing.T) {
	t.Parallel()
	requireTool(t, "pdfinfo", "poppler-utils")

	s := samples()[5] // demotion: three copies
	s.form.Request.Details = strings.Repeat("详", models.MaxDetails-10) + "0123456789"
	s.form.Class = &models.Class{Code: "X", Name: strings.Repeat("很长的班级名称", 6)}

	path := writePDF(t, s.form)
	require.Equal(t, 3, pageCount(t, path))
	text := run(t, "pdftotext", "-layout", path, "-")
	require.Contains(t, text, "0123456789", "the end of the details is printed")
	require.Contains(t, text, "打印时间")
}

func TestPDFRefusesAnIncompleteForm(t *testing.T) {
	t.Parallel()
	full := samples()[0].form
	noURL := full
	noURL.VerifyURL = ""
	badKind := full
	badKind.Request = &models.Request{ID: 1, Kind: "transfer"}

	for name, f := range map[string]printform.Form{
		"no request": {Student: full.Student, VerifyURL: full.VerifyURL},
		"no student": {Request: full.Request, VerifyURL: full.VerifyURL},
		"no URL":     noURL,
		"bad kind":   badKind,
	} {
		var buf bytes.Buffer
		err := printform.PDF(&buf, f)
		require.ErrorIs(t, err, printform.ErrIncomplete, name)
		require.Zero(t, buf.Len(), name)
	}
}

// decodeQR reads the QR code in a PNG file of a page, looking only in
// the page's top right quarter, where the form puts it (the decoder is
// slow on a whole page under the race detector).
func decodeQR(t *testing.T, path string) string {
	t.Helper()
	file, err := os.Open(path)
	require.NoError(t, err)
	defer file.Close()
	img, err := png.Decode(file)
	require.NoError(t, err)
	b := img.Bounds()
	corner := img.(interface {
		SubImage(r image.Rectangle) image.Image
	}).SubImage(image.Rect(b.Dx()/2, 0, b.Dx(), b.Dy()/4))
	return decodeImage(t, corner)
}

// decodeImage reads the one QR code in an image.
func decodeImage(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	require.NoError(t, err)
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	require.NoError(t, err, "no QR code found")
	return res.GetText()
}
