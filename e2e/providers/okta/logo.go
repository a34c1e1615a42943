package okta

import (
	"bytes"
	"image"
	"image/png"
	"net/http"
	"sync"
)

// defaultLogo is the org's default app logo, which the Gen2 widget loads
// from baseUrl + "/img/logos/default.png" on the consent page (an Okta org
// serves its own image there; the widget package ships none): a plain
// grey square drawn here.
var defaultLogo = sync.OnceValue(func() []byte {
	img := image.NewGray(image.Rect(0, 0, 64, 64))
	for i := range img.Pix {
		img.Pix[i] = 0xc8
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
})

func (s *Server) handleLogo(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "image/png")
	_, _ = w.Write(defaultLogo())
}
