/**
 * The page's only style sheet and script, served from our own server (no font, script or style
 * from anywhere else; the CSP allows 'self' only). The script is a convenience: the form works
 * without it (the school is then resolved on the server, photos checked there).
 */
export const webTipCss = `
*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;font-size:17px;line-height:1.5;color:#1a1a1a;background:#f4f6f8}
body{margin:0}
main{max-width:40rem;margin:0 auto;padding:1rem;background:#fff;min-height:100vh}
h1{font-size:1.45rem;margin:.3rem 0 .6rem}
h2{font-size:1.15rem;margin:1.4rem 0 .5rem}
.lead{margin-top:0}
.sos{background:#fdecea;border-left:5px solid #b3261e;padding:.6rem .8rem;color:#5f1410;margin:.8rem 0}
.sos.big{font-size:1.05rem}
.sos.big p{margin:.2rem 0}
.summary{border:2px solid #b3261e;padding:.6rem .8rem;margin:1rem 0;color:#5f1410}
.summary a{color:#8c1d18}
.notice{background:#e8f0fe;border-left:5px solid #1a56b0;padding:.6rem .8rem}
.field{margin:1.1rem 0;border:0;padding:0}
fieldset.field{min-width:0}
label,legend{display:block;font-weight:600;margin-bottom:.2rem}
.hint{margin:.1rem 0 .3rem;color:#4a4f55;font-size:.92rem}
.error{margin:.1rem 0 .3rem;color:#b3261e;font-weight:600}
.invalid input[type=text],.invalid textarea,.invalid select,.invalid input[type=file]{border-color:#b3261e;border-width:2px}
input[type=text],input[type=password],textarea,select{width:100%;font:inherit;padding:.55rem .6rem;border:1px solid #6b7178;border-radius:6px;background:#fff;color:#1a1a1a}
input[type=file]{font:inherit;max-width:100%}
textarea{resize:vertical}
label.choice{font-weight:400;display:flex;gap:.5rem;align-items:center;padding:.35rem 0;min-height:44px}
label.choice input{width:1.25rem;height:1.25rem}
.code{color:#4a4f55;font-size:.85rem}
button,.button{display:inline-block;font:inherit;font-weight:600;padding:.7rem 1.2rem;min-height:44px;border:0;border-radius:6px;background:#0b4f9c;color:#fff;text-decoration:none;cursor:pointer}
button.secondary{background:#e4e7eb;color:#1a1a1a}
button.result{display:block;width:100%;text-align:left;background:#fff;color:#1a1a1a;border:1px solid #6b7178;border-top:0;border-radius:0;font-weight:400}
:focus-visible{outline:3px solid #f2a900;outline-offset:2px}
a{color:#0b4f9c}
.recorded{margin-top:2rem;border-top:1px solid #d0d4d9;font-size:.95rem}
.receipt dd{font-size:1.5rem;font-weight:700;letter-spacing:.04em;margin:0 0 .8rem;font-family:ui-monospace,"Noto Sans Mono",monospace;word-break:break-word}
.receipt dt,.status dt{color:#4a4f55}
.status dd{margin:0 0 .5rem;font-weight:600}
.thread{list-style:none;padding:0}
.thread li{padding:.5rem .7rem;margin:.5rem 0;border-radius:6px}
.thread li.officer{background:#eef3fb}
.thread li.tipster{background:#f1f7ee}
.thread .who{margin:0;color:#4a4f55;font-size:.88rem}
.thread .said{margin:.2rem 0 0;white-space:pre-wrap}
form.inline{margin-top:1.5rem}
`

export const webTipJs = `
(function () {
  var form = document.getElementById('bao-tin');
  var summary = document.getElementById('tom-tat');
  if (summary) summary.focus();
  if (!form) return;
  var input = document.getElementById('school');
  var code = document.getElementById('school-code');
  var results = document.getElementById('school-results');
  var timer;
  input.addEventListener('input', function () {
    code.value = '';
    clearTimeout(timer);
    var q = input.value.trim();
    if (q.length < 2) { results.textContent = ''; return; }
    timer = setTimeout(function () {
      fetch('/bao-tin/truong?q=' + encodeURIComponent(q), { credentials: 'omit' })
        .then(function (r) { return r.ok ? r.json() : { schools: [] }; })
        .then(function (data) {
          results.textContent = '';
          if (!data.schools.length) { results.textContent = 'Không tìm thấy trường nào khớp.'; return; }
          data.schools.forEach(function (s) {
            var b = document.createElement('button');
            b.type = 'button'; b.className = 'result'; b.textContent = s.name;
            b.addEventListener('click', function () { input.value = s.name; code.value = s.code; results.textContent = 'Đã chọn: ' + s.name; input.focus(); });
            results.appendChild(b);
          });
        })
        .catch(function () { results.textContent = ''; });
    }, 250);
  });
  var photos = document.getElementById('photos');
  var maxPhotos = Number(form.dataset.maxPhotos), maxBytes = Number(form.dataset.maxBytes);
  function photoProblem() {
    var files = photos.files || [];
    if (files.length > maxPhotos) return 'Chỉ gửi được tối đa ' + maxPhotos + ' ảnh.';
    for (var i = 0; i < files.length; i++) {
      if (!/^image\\/(jpeg|png|webp)$/.test(files[i].type)) return 'Tệp «' + files[i].name + '» không phải ảnh JPG, PNG hay WebP.';
      if (files[i].size > maxBytes) return 'Ảnh «' + files[i].name + '» lớn hơn ' + Math.round(maxBytes / 1048576) + ' MB; hãy chọn ảnh nhỏ hơn.';
    }
    return '';
  }
  function showPhotoProblem() {
    var old = document.getElementById('photos-error');
    if (old) old.remove();
    var problem = photoProblem();
    photos.closest('.field').classList.toggle('invalid', !!problem);
    if (!problem) { photos.removeAttribute('aria-invalid'); photos.setAttribute('aria-describedby', 'photos-hint'); return false; }
    var p = document.createElement('p');
    p.className = 'error'; p.id = 'photos-error'; p.textContent = problem;
    photos.parentNode.insertBefore(p, photos);
    photos.setAttribute('aria-invalid', 'true'); photos.setAttribute('aria-describedby', 'photos-hint photos-error');
    return true;
  }
  photos.addEventListener('change', showPhotoProblem);
  form.addEventListener('submit', function (event) {
    if (showPhotoProblem()) { event.preventDefault(); photos.focus(); }
  });
})();
`
