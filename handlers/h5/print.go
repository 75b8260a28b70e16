package h5

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/imut/xuewu/handlers/printform"
	"github.com/imut/xuewu/models"
)

// printPolicy is the Content-Security-Policy of the printform pages: their
// own inline styles, the QR code as a data: image, and the one inline
// handler of the print button (onclick="window.print()", allowed by its
// hash and nothing else).
var printPolicy = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; " +
	"script-src 'unsafe-hashes' 'sha256-" + styleHash(printHandler) + "'; " +
	"form-action 'none'; frame-ancestors 'none'; base-uri 'none'"

// printHandler is the print button's inline handler in printform's page.
const printHandler = "window.print()"

// registerPublic adds the pages that need no login: the verification page
// that the printed form's QR code opens.
func (p *Pages) registerPublic(g gin.IRouter) {
	g.GET("/verify/:token", p.verify)
}

// registerPrint adds the printable form, as HTML and as PDF.
func (p *Pages) registerPrint(g gin.IRouter) {
	g.GET("/print/:id", p.print)
}

// print serves GET /h5/print/:id (HTML) and /h5/print/:id.pdf, to the
// request's student, the approvers of its chain and admins.
func (p *Pages) print(c *gin.Context) {
	v := viewerOf(c)
	param, pdf := strings.CutSuffix(c.Param("id"), ".pdf")
	req, _, ok := p.requestFor(c, v, param)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	form, err := p.printForm(ctx, req)
	if err != nil {
		p.fail(c, "load print form", err)
		return
	}

	var buf bytes.Buffer
	contentType := "text/html; charset=utf-8"
	if pdf {
		contentType = "application/pdf"
		err = printform.PDF(&buf, form)
	} else {
		err = printform.HTML(&buf, form)
	}
	if err != nil {
		p.fail(c, "print form", err)
		return
	}
	c.Header("Content-Security-Policy", printPolicy)
	if pdf {
		c.Header("Content-Disposition",
			`inline; filename="xuewu-`+strconv.FormatUint(req.ID, 10)+`.pdf"`)
	}
	c.Data(http.StatusOK, contentType, buf.Bytes())
}

// printForm gathers what the printed form shows.
func (p *Pages) printForm(ctx context.Context, req *models.Request) (printform.Form, error) {
	f := printform.Form{Request: req, PrintedAt: p.now(),
		VerifyURL: p.base + "/h5/verify/" + printform.VerifyToken(p.verifyKey, req.ID)}
	db := p.store.DB()
	var err error
	if f.Student, err = p.store.StudentByNo(ctx, req.StudentNo); err != nil {
		return f, err
	}
	f.Class = f.Student.Class
	if f.Class != nil {
		f.College, err = collegeByCode(ctx, db, f.Class.CollegeCode)
		if err = missingOK(err); err != nil {
			return f, err
		}
	}
	if req.Kind == models.KindExemption {
		f.CourseCollege, err = courseCollege(ctx, db, req.CourseCode)
		if err = missingOK(err); err != nil {
			return f, err
		}
	}
	if req.TargetClass != "" {
		f.TargetClass, err = classByCode(ctx, db, req.TargetClass)
		if err = missingOK(err); err != nil {
			return f, err
		}
	}
	f.Evidence, err = p.store.EvidenceOf(ctx, req.ID)
	return f, err
}

// verify serves GET /h5/verify/:token, public: whether a printed form is
// genuine and where its request stands.
func (p *Pages) verify(c *gin.Context) {
	id, ok := printform.ParseVerifyToken(p.verifyKey, c.Param("token"))
	if !ok {
		p.message(c, http.StatusNotFound, titleError, msgBadVerify, "")
		return
	}
	ctx := c.Request.Context()
	req, err := p.store.RequestByID(ctx, id)
	if err != nil {
		p.fail(c, "load verified request", err)
		return
	}
	st, err := p.store.StudentByNo(ctx, req.StudentNo)
	if err != nil {
		p.fail(c, "load verified student", err)
		return
	}

	var buf bytes.Buffer
	view := printform.VerifyView{Request: req, Student: st, CheckedAt: p.now()}
	if err := printform.VerifyHTML(&buf, view); err != nil {
		p.fail(c, "render verify page", err)
		return
	}
	c.Header("Content-Security-Policy", printPolicy)
	c.Data(http.StatusOK, "text/html; charset=utf-8", buf.Bytes())
}
