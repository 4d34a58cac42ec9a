/** Injected on listed sites with the blur stylesheet: a click on a blurred image or video reveals that one only. */
export default defineUnlistedScript(() => {
  const flag = window as unknown as { __flaglineSafeView?: boolean };
  if (flag.__flaglineSafeView) return;
  flag.__flaglineSafeView = true;
  document.addEventListener(
    'click',
    (event) => {
      const media = (event.target as Element | null)?.closest?.('img, video, picture, canvas, [style*="background-image"]');
      if (!media || media.hasAttribute('data-flagline-revealed')) return;
      event.preventDefault();
      event.stopPropagation();
      media.setAttribute('data-flagline-revealed', '');
    },
    true,
  );
});
