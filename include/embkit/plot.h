// Forwarding header: the scatter, heatmap and loss plots have headers of their own.
#pragma once

#include "embkit/heatmap_plot.h"
#include "embkit/loss_log.h"
#include "embkit/loss_plot.h"
#include "embkit/scatter_plot.h"
