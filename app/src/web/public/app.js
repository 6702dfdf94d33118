/* Small enhancements only; every page works without them. ES5 for old Android WebViews. */
/* global window, document */
(function () {
  'use strict';

  // Ask before deleting, suspending, promoting.
  var forms = document.querySelectorAll('form[data-confirm]');
  for (var i = 0; i < forms.length; i++) {
    forms[i].addEventListener('submit', function (event) {
      if (!window.confirm(this.getAttribute('data-confirm'))) event.preventDefault();
    });
  }

  // The rich-text editor over the plain textarea; the server sanitises what it sends.
  var textarea = document.getElementById('body');
  var format = document.getElementById('format');
  if (!textarea || !format || !window.pell) return;
  var labels = (textarea.getAttribute('data-labels') || '').split('|');
  function escape(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  }
  function toHtml(text) {
    return escape(text).replace(/\r?\n/g, '<br>');
  }
  var holder = document.createElement('div');
  textarea.parentNode.insertBefore(holder, textarea);
  var editor = window.pell.init({
    element: holder,
    defaultParagraphSeparator: 'div',
    styleWithCSS: false,
    onChange: function (html) {
      textarea.value = html;
    },
    actions: [
      { name: 'bold', title: labels[0] },
      { name: 'italic', title: labels[1] },
      { name: 'underline', title: labels[2] },
      { name: 'ulist', title: labels[3] },
      { name: 'olist', title: labels[4] },
      {
        name: 'link',
        title: labels[5],
        // pell's default is an emoji that old phones (and DejaVu) cannot draw.
        icon: '&#8599;',
        result: function () {
          var url = window.prompt(labels[6] || 'URL', 'https://');
          if (url) window.pell.exec('createLink', url);
        },
      },
    ],
  });
  editor.content.innerHTML = toHtml(textarea.value);
  editor.content.setAttribute(
    'aria-label',
    textarea.previousElementSibling ? textarea.previousElementSibling.textContent : '',
  );
  textarea.value = editor.content.innerHTML;
  textarea.style.display = 'none';
  format.value = 'html';
  if (textarea.value === '') editor.content.focus();
})();
