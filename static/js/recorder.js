// Record a notice for the loudspeakers in the browser (MediaRecorder) and upload it with
// the page's own form, so the CSRF token and the server's checks are the form's.
(function () {
  "use strict";
  function setUp(box) {
    var form = box.parentNode.querySelector("[data-recording-form]");
    var record = box.querySelector("[data-record]");
    var stop = box.querySelector("[data-stop]");
    var send = box.querySelector("[data-send]");
    var take = box.querySelector("[data-take]");
    var state = box.querySelector("[data-recorder-state]");
    var recorder = null, chunks = [], blob = null;
    if (!window.MediaRecorder || !navigator.mediaDevices) {
      box.hidden = true;
      return;
    }
    record.addEventListener("click", function () {
      navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
        chunks = [];
        recorder = new MediaRecorder(stream);
        recorder.ondataavailable = function (event) { chunks.push(event.data); };
        recorder.onstop = function () {
          stream.getTracks().forEach(function (track) { track.stop(); });
          blob = new Blob(chunks, { type: recorder.mimeType || "audio/webm" });
          take.src = URL.createObjectURL(blob);
          take.hidden = false;
          send.disabled = false;
          state.textContent = "";
        };
        recorder.start();
        record.disabled = true;
        stop.disabled = false;
        state.textContent = "●";
      }).catch(function (error) { state.textContent = String(error); });
    });
    stop.addEventListener("click", function () {
      if (recorder) { recorder.stop(); }
      record.disabled = false;
      stop.disabled = true;
    });
    send.addEventListener("click", function () {
      if (!blob) { return; }
      var data = new FormData(form);
      data.set("recording", blob, "recording.webm");
      send.disabled = true;
      fetch(box.dataset.upload, { method: "POST", body: data, credentials: "same-origin" })
        .then(function () { window.location.reload(); });
    });
  }
  document.querySelectorAll("[data-recorder]").forEach(setUp);
})();
