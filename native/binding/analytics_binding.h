// The performance spool's switches, for src/analytics/capture/native-spool.ts (the Recorder owns the spool).
// The keygen bindings record their keys through native/analytics/recorded_keygen.h: nothing here is hot.
#pragma once

#include <napi.h>

namespace keyscope::binding {

// analyticsSpoolOpen({ dir, installId, sessionId, keyscopeVersion, burstThreshold, firstSegmentRecords,
// maxSegmentRecords }, onFailure?) => generation. onFailure(reason) is called once, on this thread, if the
// spool later cannot open a segment and turns itself off.
Napi::Value AnalyticsSpoolOpen(const Napi::CallbackInfo& info);
// analyticsSpoolSetMask(generation, mask)
Napi::Value AnalyticsSpoolSetMask(const Napi::CallbackInfo& info);
// analyticsSpoolClose(generation): seals the segment; every scope off.
Napi::Value AnalyticsSpoolClose(const Napi::CallbackInfo& info);
// analyticsSpoolSetMeasuring(measuring): true while keyscope measures in this process (nothing is recorded).
Napi::Value AnalyticsSpoolSetMeasuring(const Napi::CallbackInfo& info);
// analyticsSpoolRecordExport(apiId, algorithm, formatCode, encrypted): an api.call of a successful export.
Napi::Value AnalyticsSpoolRecordExport(const Napi::CallbackInfo& info);
// analyticsSpoolRecordApiFailure(apiId, algorithm | null): an api.call that failed before the native keygen.
Napi::Value AnalyticsSpoolRecordApiFailure(const Napi::CallbackInfo& info);

}  // namespace keyscope::binding
